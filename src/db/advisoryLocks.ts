/**
 * Every PostgreSQL advisory-lock key the application takes, in one table so two features never pick the same
 * number by accident. The values are fixed: nodes of an older release running beside a newer one during a
 * rolling deploy must still exclude each other, so never renumber a key; add new ones with a fresh number.
 *
 * PostgreSQL keeps two key spaces that never collide: one bigint (`pg_advisory_lock($1)`) and a pair of int4
 * (`pg_advisory_xact_lock($1::int, $2::int)`, here always the key and a row id). Each comment says which form.
 */
export const AdvisoryLock = {
  /** Session lock, bigint form: one migrator at a time when several app nodes start together (src/db/migrate.ts). */
  migrations: 7_264_111,
  /** Transaction lock, bigint form: one audit append at a time, so the hash chain never forks (docs/rules.md §8). */
  auditChain: 7_264_112,
  /** Transaction lock, paired with a registration id: two compactions of one answer document never interleave. */
  answerCompaction: 726_411,
  /** Transaction lock, paired with a sitting id: the "paper.released" audit entry is written once per sitting. */
  paperRelease: 726_412,
  /** Transaction lock, paired with a school id: one candidate CSV import per school at a time (docs/rules.md §3). */
  candidateImport: 726_413,
} as const;
