-- Simple writing mode (docs/rules.md §13): one plain text area per paragraph for pupils whose read-aloud or
-- word-prediction tool does not work in the rich editor. Set by the school as an accommodation before the
-- start, or switched on by an invigilator during the exam (audited). It changes only how the pupil edits;
-- the answer stays the same Yjs document.
ALTER TABLE registrations ADD COLUMN simple_writing boolean NOT NULL DEFAULT false;
