import { randomBytes } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { createSession, SESSION_COOKIE } from '../../src/auth/sessions.ts';
import type { Queryable } from '../../src/db/pool.ts';
import type { Role } from '../../src/http/context.ts';
import { formatExamNumber } from '../../src/schools/examNumbers.ts';

/** Small data builders with random defaults (STYLE: tests). All take a Queryable and return ids. */
export const TEST_PASSWORD = 'test-password-æøå';
let cachedHash: string | null = null;
const passwordHash = () => (cachedHash ??= bcrypt.hashSync(TEST_PASSWORD, 10));
const rnd = () => randomBytes(4).toString('hex');
const one = async (q: Queryable, sql: string, params: unknown[]) => (await q.query<{ id: number }>(sql, params)).rows[0].id;

export const buildSchool = (q: Queryable, o: { name?: string } = {}) =>
  one(q, 'INSERT INTO schools (name, institution_no) VALUES ($1, $2) RETURNING id', [o.name ?? `Skole ${rnd()}`, rnd()]);

export const buildRoom = (q: Queryable, schoolId: number, o: { name?: string } = {}) =>
  one(q, 'INSERT INTO rooms (school_id, name) VALUES ($1, $2) RETURNING id', [schoolId, o.name ?? `Lokale ${rnd()}`]);

export async function buildUser(q: Queryable, role: Role, o: { schoolId?: number | null; username?: string; password?: string | null } = {}) {
  const username = o.username ?? `${role.replace('_', '')}-${rnd()}`;
  const hash = o.password === null ? null : o.password ? bcrypt.hashSync(o.password, 10) : passwordHash();
  const id = await one(q, 'INSERT INTO users (username, display_name, role, school_id, password_hash) VALUES ($1, $2, $3, $4, $5) RETURNING id', [
    username,
    `Test ${role}`,
    role,
    o.schoolId ?? null,
    hash,
  ]);
  return { id, username, password: o.password ?? TEST_PASSWORD };
}

/**
 * A signed-in session for the user, inserted the way a sign-in stores it (only the token's hash): the Cookie header
 * value. For every test that needs a session but is not about signing in; bcrypt is slow by design.
 */
export async function sessionCookie(q: Queryable, user: { id: number }, o: { ttlHours?: number } = {}): Promise<string> {
  const { token } = await createSession(q, user.id, o.ttlHours ?? 12, new Date(), { userAgent: 'vitest session factory', address: null });
  return `${SESSION_COOKIE}=${token}`;
}

export async function buildSitting(
  q: Queryable,
  o: {
    startsAt?: Date;
    durationMinutes?: number;
    lobbyOpensMinutes?: number;
    schoolIds?: number[];
    aids?: Record<string, boolean>;
    lockdownProfile?: string;
    subject?: string;
  } = {},
) {
  const id = await one(
    q,
    `INSERT INTO sittings (subject, level, starts_at, duration_minutes, lobby_opens_minutes, aids, lockdown_profile)
    VALUES ($1, 9, $2, $3, $4, $5, $6) RETURNING id`,
    [
      o.subject ?? `Dansk ${rnd()}`,
      o.startsAt ?? new Date(Date.now() + 60 * 60_000),
      o.durationMinutes ?? 240,
      o.lobbyOpensMinutes ?? 30,
      JSON.stringify(o.aids ?? { spellCheck: true, textToSpeech: true }),
      o.lockdownProfile ?? 'browser_monitored',
    ],
  );
  for (const schoolId of o.schoolIds ?? []) await q.query('INSERT INTO sitting_schools VALUES ($1, $2)', [id, schoolId]);
  return id;
}

let seq = 0;
/** A candidate user + candidate row + registration for the sitting/room. */
export async function buildCandidate(q: Queryable, o: { schoolId: number; sittingId: number; roomId: number; extraMinutes?: number; username?: string }) {
  const user = await buildUser(q, 'candidate', { schoolId: o.schoolId, username: o.username });
  const candidateId = await one(
    q,
    `INSERT INTO candidates (user_id, school_id, uni_id, full_name, class_name, extra_minutes)
    VALUES ($1, $2, $3, $4, '9.B', $5) RETURNING id`,
    [user.id, o.schoolId, user.username, `Elev ${rnd()}`, o.extraMinutes ?? 0],
  );
  const examNumber = formatExamNumber(o.sittingId, ++seq + Math.floor(Math.random() * 1000) * 1000);
  const registrationId = await one(
    q,
    `INSERT INTO registrations (sitting_id, candidate_id, room_id, exam_number, extra_minutes)
    VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [o.sittingId, candidateId, o.roomId, examNumber, o.extraMinutes ?? 0],
  );
  return { ...user, userId: user.id, candidateId, registrationId, examNumber };
}

export async function assignInvigilator(q: Queryable, sittingId: number, roomId: number, userId: number) {
  await q.query('INSERT INTO invigilator_assignments (sitting_id, room_id, user_id) VALUES ($1, $2, $3)', [sittingId, roomId, userId]);
}

export async function assignGrader(q: Queryable, sittingId: number, userId: number) {
  await q.query('INSERT INTO grader_assignments (sitting_id, user_id) VALUES ($1, $2)', [sittingId, userId]);
}

/** A whole little world: a school with two rooms, staff, a sitting and N candidates in room A. */
export async function buildWorld(q: Queryable, o: { startsAt?: Date; durationMinutes?: number; candidates?: number } = {}) {
  const schoolId = await buildSchool(q);
  const roomA = await buildRoom(q, schoolId, { name: 'A' });
  const roomB = await buildRoom(q, schoolId, { name: 'B' });
  const sittingId = await buildSitting(q, { startsAt: o.startsAt, durationMinutes: o.durationMinutes, schoolIds: [schoolId] });
  const ministry = await buildUser(q, 'ministry');
  const schoolAdmin = await buildUser(q, 'school_admin', { schoolId });
  const invigilatorA = await buildUser(q, 'invigilator', { schoolId });
  const invigilatorB = await buildUser(q, 'invigilator', { schoolId });
  await assignInvigilator(q, sittingId, roomA, invigilatorA.id);
  await assignInvigilator(q, sittingId, roomB, invigilatorB.id);
  const grader = await buildUser(q, 'grader');
  await assignGrader(q, sittingId, grader.id);
  const candidates = [];
  for (let i = 0; i < (o.candidates ?? 2); i++) candidates.push(await buildCandidate(q, { schoolId, sittingId, roomId: roomA }));
  return { schoolId, roomA, roomB, sittingId, ministry, schoolAdmin, invigilatorA, invigilatorB, grader, candidates };
}
