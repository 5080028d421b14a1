import { AdvisoryLock } from '../db/advisoryLocks.ts';
import type { Queryable } from '../db/pool.ts';
import type { NationalOverview, SchoolCounts } from '../protocol/liveEvents.ts';
import { PRESENCE_STALE_SECONDS } from '../sync/presence.ts';
import type { SealedPaper } from './paperVault.ts';
import type { OpenWindow } from './sittingState.ts';

export interface SittingRow {
  id: number;
  subject: string;
  level: number;
  starts_at: Date;
  duration_minutes: number;
  lobby_opens_minutes: number;
  aids: Record<string, boolean | string[]>;
  lockdown_profile: string;
  status: string;
  school_ids: number[];
  has_pdf: boolean;
  has_text: boolean;
}

const SELECT_SITTING = `SELECT s.id, s.subject, s.level, s.starts_at, s.duration_minutes, s.lobby_opens_minutes, s.aids,
  s.lockdown_profile, s.status,
  EXISTS (SELECT 1 FROM question_papers qp WHERE qp.sitting_id = s.id AND qp.kind = 'pdf') AS has_pdf,
  EXISTS (SELECT 1 FROM question_papers qp WHERE qp.sitting_id = s.id AND qp.kind = 'richtext') AS has_text,
  COALESCE(array_agg(ss.school_id ORDER BY ss.school_id) FILTER (WHERE ss.school_id IS NOT NULL), '{}') AS school_ids
  FROM sittings s LEFT JOIN sitting_schools ss ON ss.sitting_id = s.id`;

export async function findSitting(q: Queryable, id: number, lock = false): Promise<SittingRow | null> {
  if (lock) await q.query('SELECT 1 FROM sittings WHERE id = $1 FOR UPDATE', [id]);
  const { rows } = await q.query<SittingRow>(`${SELECT_SITTING} WHERE s.id = $1 GROUP BY s.id`, [id]);
  return rows[0] ?? null;
}

export async function listSittings(q: Queryable): Promise<SittingRow[]> {
  const { rows } = await q.query<SittingRow>(`${SELECT_SITTING} GROUP BY s.id ORDER BY s.starts_at DESC LIMIT 500`);
  return rows;
}

/** The windows of the pupils who have not finished (not handed in, absent or ill), per sitting. */
export async function openWindows(q: Queryable, sittingIds: number[]): Promise<Map<number, OpenWindow[]>> {
  const { rows } = await q.query<{ sitting_id: number; extra_minutes: number; paused_seconds: number; paused_at: Date | null; ended_at: Date | null }>(
    `SELECT sitting_id, extra_minutes, paused_seconds, paused_at, ended_at FROM registrations
      WHERE sitting_id = ANY($1::bigint[]) AND state NOT IN ('handed_in', 'absent', 'ill')`,
    [sittingIds],
  );
  const out = new Map<number, OpenWindow[]>();
  for (const r of rows) {
    const list = out.get(Number(r.sitting_id)) ?? [];
    list.push({ extraMinutes: r.extra_minutes, pausedSeconds: r.paused_seconds, pausedAt: r.paused_at, endedAt: r.ended_at });
    out.set(Number(r.sitting_id), list);
  }
  return out;
}

export interface SittingValues {
  subject: string;
  level: number;
  startsAt: Date;
  durationMinutes: number;
  lobbyOpensMinutes: number;
  aids: Record<string, boolean | string[]>;
  lockdownProfile: string;
}

export async function insertSitting(q: Queryable, v: SittingValues, createdBy: number): Promise<number> {
  const { rows } = await q.query<{ id: number }>(
    `INSERT INTO sittings (subject, level, starts_at, duration_minutes, lobby_opens_minutes, aids, lockdown_profile, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [v.subject, v.level, v.startsAt, v.durationMinutes, v.lobbyOpensMinutes, JSON.stringify(v.aids), v.lockdownProfile, createdBy],
  );
  return rows[0].id;
}

export async function updateSitting(q: Queryable, id: number, v: SittingValues): Promise<void> {
  await q.query(
    `UPDATE sittings SET subject = $2, level = $3, starts_at = $4, duration_minutes = $5, lobby_opens_minutes = $6, aids = $7,
       lockdown_profile = $8, updated_at = now() WHERE id = $1`,
    [id, v.subject, v.level, v.startsAt, v.durationMinutes, v.lobbyOpensMinutes, JSON.stringify(v.aids), v.lockdownProfile],
  );
}

export async function setSittingSchools(q: Queryable, id: number, schoolIds: number[]): Promise<void> {
  await q.query('DELETE FROM sitting_schools WHERE sitting_id = $1 AND NOT (school_id = ANY($2::bigint[]))', [id, schoolIds]);
  await q.query('INSERT INTO sitting_schools (sitting_id, school_id) SELECT $1, unnest($2::bigint[]) ON CONFLICT DO NOTHING', [id, schoolIds]);
}

export async function cancelSitting(q: Queryable, id: number): Promise<void> {
  await q.query("UPDATE sittings SET status = 'cancelled', updated_at = now() WHERE id = $1", [id]);
}

export async function storePaper(q: Queryable, sittingId: number, kind: 'pdf' | 'richtext', p: SealedPaper, by: number): Promise<void> {
  await q.query(
    `INSERT INTO question_papers (sitting_id, kind, wrapped_key, iv, auth_tag, ciphertext, sha256, byte_size, uploaded_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (sitting_id, kind) DO UPDATE SET wrapped_key = EXCLUDED.wrapped_key, iv = EXCLUDED.iv, auth_tag = EXCLUDED.auth_tag,
       ciphertext = EXCLUDED.ciphertext, sha256 = EXCLUDED.sha256, byte_size = EXCLUDED.byte_size,
       uploaded_by = EXCLUDED.uploaded_by, uploaded_at = now()`,
    [sittingId, kind, p.wrappedKey, p.iv, p.authTag, p.ciphertext, p.sha256, p.byteSize, by],
  );
}

export async function loadPaper(q: Queryable, sittingId: number, kind: 'pdf' | 'richtext') {
  const { rows } = await q.query<{ wrapped_key: Buffer; iv: Buffer; auth_tag: Buffer; ciphertext: Buffer; sha256: string }>(
    'SELECT wrapped_key, iv, auth_tag, ciphertext, sha256 FROM question_papers WHERE sitting_id = $1 AND kind = $2',
    [sittingId, kind],
  );
  const r = rows[0];
  return r ? { wrappedKey: r.wrapped_key, iv: r.iv, authTag: r.auth_tag, ciphertext: r.ciphertext, sha256: r.sha256 } : null;
}

export async function paperKinds(q: Queryable, sittingId: number): Promise<{ pdf: boolean; text: boolean }> {
  const { rows } = await q.query<{ kind: string }>('SELECT kind FROM question_papers WHERE sitting_id = $1', [sittingId]);
  return { pdf: rows.some((r) => r.kind === 'pdf'), text: rows.some((r) => r.kind === 'richtext') };
}

/** The actor's relation to a sitting, for the paper rule (mayReadPaper). */
export async function sittingRelation(q: Queryable, sittingId: number, userId: number, role: string, schoolId: number | null) {
  const { rows } = await q.query<{ candidate: boolean; invigilator: boolean; grader: boolean; school: boolean }>(
    `SELECT
       EXISTS (SELECT 1 FROM registrations r JOIN candidates c ON c.id = r.candidate_id
                WHERE r.sitting_id = $1 AND c.user_id = $2 AND r.state NOT IN ('absent', 'ill')) AS candidate,
       EXISTS (SELECT 1 FROM invigilator_assignments WHERE sitting_id = $1 AND user_id = $2) AS invigilator,
       EXISTS (SELECT 1 FROM grader_assignments WHERE sitting_id = $1 AND user_id = $2) AS grader,
       EXISTS (SELECT 1 FROM sitting_schools WHERE sitting_id = $1 AND school_id = $3) AS school`,
    [sittingId, userId, schoolId],
  );
  const r = rows[0];
  return {
    registeredCandidate: role === 'candidate' && r.candidate,
    sittingStaff: (role === 'invigilator' && r.invigilator) || (role === 'grader' && r.grader) || (role === 'school_admin' && r.school),
  };
}

/** The national live view's numbers per school (docs/rules.md §2): from registration states and live presence. */
export async function sittingOverview(q: Queryable, sittingId: number, now: Date) {
  const { rows } = await q.query<SchoolCounts & { school_id: number }>(
    `SELECT sc.id AS school_id, sc.name AS school,
            count(r.id)::int AS registered,
            count(r.id) FILTER (WHERE r.state = 'lobby')::int AS lobby,
            count(r.id) FILTER (WHERE r.state = 'writing')::int AS writing,
            count(r.id) FILTER (WHERE r.state = 'writing' AND NOT COALESCE(p.connected AND p.heartbeat_at > $2::timestamptz - make_interval(secs => $3), false))::int AS disconnected,
            count(r.id) FILTER (WHERE r.state = 'handed_in')::int AS handed_in,
            count(r.id) FILTER (WHERE r.state IN ('absent', 'ill'))::int AS absent
       FROM sitting_schools ss JOIN schools sc ON sc.id = ss.school_id
       LEFT JOIN rooms ro ON ro.school_id = sc.id
       LEFT JOIN registrations r ON r.room_id = ro.id AND r.sitting_id = ss.sitting_id
       LEFT JOIN presence p ON p.registration_id = r.id
      WHERE ss.sitting_id = $1 GROUP BY sc.id ORDER BY sc.name`,
    [sittingId, now, PRESENCE_STALE_SECONDS],
  );
  return rows;
}

/** Per school and in total (docs/rules.md §2): what the ministry's overview route and live view both show. */
export async function nationalOverview(q: Queryable, sittingId: number, now: Date): Promise<NationalOverview> {
  const schools = await sittingOverview(q, sittingId, now);
  const keys = ['registered', 'lobby', 'writing', 'disconnected', 'handed_in', 'absent'] as const;
  const total = Object.fromEntries(keys.map((k) => [k, schools.reduce((n, r) => n + r[k], 0)])) as NationalOverview['total'];
  return { schools, total };
}

/** True when the user exists with the grader role (graders are assigned to sittings nationally, not per school). */
export async function isGrader(q: Queryable, userId: number): Promise<boolean> {
  return ((await q.query("SELECT 1 FROM users WHERE id = $1 AND role = 'grader'", [userId])).rowCount ?? 0) > 0;
}

/** Assigns a grader to a sitting; assigning twice is a no-op. */
export async function insertGraderAssignment(q: Queryable, sittingId: number, userId: number): Promise<void> {
  await q.query('INSERT INTO grader_assignments (sitting_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [sittingId, userId]);
}

/** Serialises the first release of a sitting's paper across nodes, until the caller's transaction ends. */
export async function lockPaperRelease(tx: Queryable, sittingId: number): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock($1::int, $2::int)', [AdvisoryLock.paperRelease, sittingId]);
}
