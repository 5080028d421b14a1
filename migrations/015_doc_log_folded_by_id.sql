-- A document is its snapshot plus EVERY row left in doc_updates, whatever its id: ids are drawn when a row is
-- inserted, not when it commits, and two group-commit batches commit side by side, so a row with a lower id can
-- commit after a compaction folded a higher one (src/sync/queries.ts). Compaction deletes exactly the rows it folded.
COMMENT ON COLUMN doc_snapshots.last_update_id IS
  'Highest doc_updates.id folded into this snapshot; for inspection only: readers take every row left in doc_updates.';
