import type { AppDeps } from '../http/context.ts';
import { DEMO_ITEM_CANDIDATES } from './itemDemo.ts';
import { DEMO_MATH_USERNAMES } from './mathDemo.ts';
import { DEMO_CANDIDATES, DEMO_PASSWORDS } from './seed.ts';

type DemoRole = keyof typeof DEMO_PASSWORDS;

/** The usernames seed.ts gives the demo's accounts (staff, and pupils elev01 … elev35, elev41 … elev45). */
const DEMO_USERNAMES = [
  'ministeriet',
  'skoleadmin',
  'tilsyn1',
  'censor1',
  ...Array.from({ length: DEMO_CANDIDATES + DEMO_ITEM_CANDIDATES }, (_, i) => `elev${String(i + 1).padStart(2, '0')}`),
  ...DEMO_MATH_USERNAMES,
];

/**
 * Demo accounts sign in only while the demo is on. Their passwords are printed in the README, so a server restarted
 * with DEMO=0 over a database seeded earlier must refuse them: every account with a demo username that still has
 * its role's demo password is disabled (sessions of a disabled user stop at once, auth/sessions.ts). With DEMO on
 * they are enabled again. An account whose password was changed is a real one and is left alone.
 * Seeding hashes each role's password once, so this compares a handful of distinct hashes, not one per pupil.
 */
export async function setDemoAccountsEnabled(deps: Pick<AppDeps, 'db' | 'passwords'>, enabled: boolean): Promise<number> {
  const { rows } = await deps.db.query<{ id: number; role: DemoRole; password_hash: string | null }>(
    'SELECT id, role, password_hash FROM users WHERE username = ANY($1::text[]) AND disabled = $2',
    [DEMO_USERNAMES, enabled],
  );
  const verdicts = new Map<string, Promise<boolean>>();
  const demoIds: number[] = [];
  for (const u of rows) {
    const password = DEMO_PASSWORDS[u.role];
    if (!password || !u.password_hash) continue;
    const key = `${u.role}\n${u.password_hash}`;
    if (!verdicts.has(key)) verdicts.set(key, deps.passwords.verify(password, u.password_hash));
    if (await verdicts.get(key)) demoIds.push(u.id);
  }
  if (!demoIds.length) return 0;
  await deps.db.query('UPDATE users SET disabled = $2 WHERE id = ANY($1::bigint[])', [demoIds, !enabled]);
  return demoIds.length;
}
