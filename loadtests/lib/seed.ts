import { createHash, randomBytes } from 'node:crypto';
import type pg from 'pg';

export interface SeededCandidate {
  registrationId: number;
  username: string;
  cookie?: string;
}

/**
 * A sitting with N candidates for a load run, set-based (generate_series), in the database the server uses.
 * With `sessions`, candidates get ready-made sessions (bench:autosave measures saving, not bcrypt);
 * otherwise they get a password and log in over HTTP like pupils do.
 */
export async function seedLoadSitting(
  db: pg.Pool,
  o: { candidates: number; startsAt: Date; durationMinutes: number; sessions: boolean; passwordHash?: string },
): Promise<{ sittingId: number; candidates: SeededCandidate[] }> {
  const tag = randomBytes(3).toString('hex');
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    const school = (await client.query(`INSERT INTO schools (name, institution_no) VALUES ($1, $2) RETURNING id`, [`Belastningsskole ${tag}`, `L${tag}`]))
      .rows[0].id;
    const room = (await client.query('INSERT INTO rooms (school_id, name) VALUES ($1, $2) RETURNING id', [school, 'Hal'])).rows[0].id;
    const sitting = (
      await client.query(
        `INSERT INTO sittings (subject, level, starts_at, duration_minutes, lobby_opens_minutes, aids, lockdown_profile)
      VALUES ($1, 9, $2, $3, 240, '{"spellCheck":true}', 'browser_monitored') RETURNING id`,
        [`Belastningsprøve ${tag}`, o.startsAt, o.durationMinutes],
      )
    ).rows[0].id;
    await client.query('INSERT INTO sitting_schools VALUES ($1, $2)', [sitting, school]);
    const { rows } = await client.query<{ registration_id: number; username: string; user_id: number }>(
      `WITH u AS (
         INSERT INTO users (username, display_name, role, school_id, password_hash)
         SELECT 'load' || $1::text || '-' || g, 'Elev ' || g, 'candidate', $2::bigint, $4::text FROM generate_series(1, $3::int) g RETURNING id, username),
       c AS (
         INSERT INTO candidates (user_id, school_id, uni_id, full_name)
         SELECT id, $2::bigint, username, username FROM u RETURNING id, user_id, uni_id),
       r AS (
         INSERT INTO registrations (sitting_id, candidate_id, room_id, exam_number)
         SELECT $5::bigint, c.id, $6::bigint, 'S' || $5::bigint || '-' || lpad((row_number() OVER (ORDER BY c.id))::text, 6, '0') FROM c RETURNING id, candidate_id)
       SELECT r.id AS registration_id, c.uni_id AS username, c.user_id FROM r JOIN c ON c.id = r.candidate_id ORDER BY r.id`,
      [tag, school, o.candidates, o.passwordHash ?? null, sitting, room],
    );
    let cookies: string[] = [];
    if (o.sessions) {
      cookies = rows.map(() => randomBytes(32).toString('base64url'));
      await client.query(
        `INSERT INTO sessions (token_hash, user_id, expires_at) SELECT h, u, now() + interval '12 hours'
        FROM unnest($1::bytea[], $2::bigint[]) AS t(h, u)`,
        [cookies.map((t) => createHash('sha256').update(t).digest()), rows.map((r) => r.user_id)],
      );
    }
    await client.query('COMMIT');
    return {
      sittingId: sitting,
      candidates: rows.map((r, i) => ({
        registrationId: r.registration_id,
        username: r.username,
        cookie: o.sessions ? `provesal_session=${cookies[i]}` : undefined,
      })),
    };
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  } finally {
    client.release();
  }
}
