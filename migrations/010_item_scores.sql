-- Automatic scores of item tests (docs/rules.md §14.5): per item of each submission, and per part and in total.
-- Rescoring after a key correction updates them; the audit log keeps every old and new score.
CREATE TABLE item_scores (
  submission_id   bigint NOT NULL REFERENCES submissions(id),
  item_identifier text NOT NULL CHECK (length(item_identifier) BETWEEN 1 AND 200),
  part_identifier text NOT NULL,
  score           double precision NOT NULL,
  max_score       double precision NOT NULL,
  -- Extended text: scored by a grader; score stays 0 until then.
  manual          boolean NOT NULL,
  -- The item's entry of the responses map as handed in (null: no response).
  response        jsonb,
  PRIMARY KEY (submission_id, item_identifier)
);

CREATE TABLE item_results (
  submission_id   bigint PRIMARY KEY REFERENCES submissions(id),
  total           double precision NOT NULL,
  max_total       double precision NOT NULL,
  -- [{part, score, maxScore}] in delivery order.
  parts           jsonb NOT NULL,
  scored_at       timestamptz NOT NULL DEFAULT now()
);

-- Key corrections after the exam: an accepted variant added to a mapping, or a key replaced.
CREATE TABLE item_key_corrections (
  id                  bigserial PRIMARY KEY,
  sitting_id          bigint NOT NULL REFERENCES sittings(id),
  item_identifier     text NOT NULL,
  response_identifier text NOT NULL,
  kind                text NOT NULL CHECK (kind IN ('add_variant', 'set_key')),
  -- add_variant: {"value": "60'erne", "score": 1}; set_key: {"values": ["B"]}
  change              jsonb NOT NULL,
  created_by          bigint REFERENCES users(id),
  created_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX item_key_corrections_sitting_idx ON item_key_corrections (sitting_id, id);
