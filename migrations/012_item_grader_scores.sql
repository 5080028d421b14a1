-- A grader's score for one item of a submission (docs/rules.md §14.9): the score of an extended-text item, or an
-- automatic score the grader changed. Kept apart from item_scores, which a key correction rewrites, so a rescoring
-- never loses a grader's decision; the effective score is the grader's when there is one. The audit log keeps the
-- old and new score of every change.
CREATE TABLE item_grader_scores (
  submission_id   bigint NOT NULL REFERENCES submissions(id),
  item_identifier text NOT NULL CHECK (length(item_identifier) BETWEEN 1 AND 200),
  score           double precision NOT NULL CHECK (score >= 0),
  reason          text CHECK (reason IS NULL OR length(reason) BETWEEN 1 AND 500),
  graded_by       bigint NOT NULL REFERENCES users(id),
  graded_at       timestamptz NOT NULL,
  PRIMARY KEY (submission_id, item_identifier)
);
