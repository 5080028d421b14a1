import type pg from 'pg';
import { appendAudit } from '../audit/auditLog.ts';
import { withTransaction } from '../db/pool.ts';
import type { AppDeps } from '../http/context.ts';
import { createPaperVault } from '../scheduling/module.ts';
import { storePaper } from '../scheduling/queries.ts';
import { formatExamNumber } from '../schools/examNumbers.ts';
import { DEMO_ITEM_CANDIDATES, DEMO_ITEM_SUBJECT, storeDemoItemPackage } from './itemDemo.ts';
import { DEMO_MATH_SUBJECT, DEMO_MATH_USERNAMES, seedMathDemo } from './mathDemo.ts';

export const DEMO_PASSWORDS = {
  ministry: 'ministeriet-demo',
  school_admin: 'skole-demo',
  invigilator: 'tilsyn-demo',
  grader: 'censor-demo',
  candidate: 'elev-demo',
} as const;

export interface DemoSummary {
  sittingId: number;
  /** The item test "Dansk – retskrivning og læsning (FP9)", same start, sat by elev31 … elev35. */
  itemSittingId: number;
  /** "Matematik – problemløsning (FP9)", same start, sat by elev41 … elev45 (mathDemo.ts). */
  mathSittingId: number;
  startsAt: Date;
  lobbyOpensAt: Date;
  logins: { role: string; username: string; password: string }[];
}

/** Minutes from start-up to the demo sitting's start (the lobby is open already). */
export const DEMO_START_MINUTES = 5;
export const DEMO_CANDIDATES = 30;
const CANDIDATES = DEMO_CANDIDATES;
/** The demo school's institution number (UNI-Login's institution_ids name it). */
export const DEMO_INSTITUTION_NO = '280999';

/** Seeds the demo on first start with an empty database; prints the logins. */
export async function seedDemoIfEmpty(deps: AppDeps): Promise<DemoSummary | null> {
  const { rows } = await deps.db.query<{ n: number }>('SELECT count(*)::int AS n FROM users');
  if (rows[0].n > 0) return null;
  const summary = await seedDemo(deps);
  printDemo(summary);
  return summary;
}

export function printDemo(s: DemoSummary): void {
  const fmt = (d: Date) => d.toLocaleTimeString('da-DK', { timeZone: 'Europe/Copenhagen' });
  const lines = [
    '',
    '  Prøvesal demo',
    `  Sitting "Dansk – skriftlig fremstilling" (id ${s.sittingId}): lobby open, starts ${fmt(s.startsAt)} (Europe/Copenhagen)`,
    `  Sitting "${DEMO_ITEM_SUBJECT}" (id ${s.itemSittingId}): item test, same start, pupils elev31 … elev${30 + DEMO_ITEM_CANDIDATES}`,
    `  Sitting "${DEMO_MATH_SUBJECT}" (id ${s.mathSittingId}): formulas and attachments, same start, pupils ${DEMO_MATH_USERNAMES[0]} … ${DEMO_MATH_USERNAMES.at(-1)}`,
    '',
    ...s.logins.map((l) => `    ${l.role.padEnd(13)} ${l.username.padEnd(12)} ${l.password}`),
    `    (candidates elev01 … elev${String(CANDIDATES + DEMO_ITEM_CANDIDATES).padStart(2, '0')} and ${DEMO_MATH_USERNAMES[0]} … ${DEMO_MATH_USERNAMES.at(-1)}, all with password ${DEMO_PASSWORDS.candidate})`,
    '',
  ];
  console.log(lines.join('\n'));
}

/** Creates the demo school, staff, 30 candidates and a sitting starting DEMO_START_MINUTES from now. */
export async function seedDemo(deps: AppDeps, startMinutes = DEMO_START_MINUTES): Promise<DemoSummary> {
  const hashes = Object.fromEntries(
    await Promise.all(Object.entries(DEMO_PASSWORDS).map(async ([role, pw]) => [role, await deps.passwords.hash(pw)])),
  ) as Record<keyof typeof DEMO_PASSWORDS, string>;
  const now = deps.now();
  const startsAt = new Date(Math.ceil((now.getTime() + startMinutes * 60_000) / 60_000) * 60_000);

  return withTransaction(deps.db, async (tx) => {
    const one = async (sql: string, params: unknown[]) => (await tx.query<{ id: number }>(sql, params)).rows[0].id;
    const user = (username: string, name: string, role: keyof typeof DEMO_PASSWORDS, schoolId: number | null) =>
      one(
        `INSERT INTO users (username, display_name, role, school_id, password_hash) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (username) DO UPDATE SET password_hash = EXCLUDED.password_hash RETURNING id`,
        [username, name, role, schoolId, hashes[role]],
      );

    const schoolId = await one(
      `INSERT INTO schools (name, institution_no) VALUES ('Demo Skole', $1)
      ON CONFLICT (institution_no) DO UPDATE SET name = EXCLUDED.name RETURNING id`,
      [DEMO_INSTITUTION_NO],
    );
    const room = (name: string) =>
      one(
        `INSERT INTO rooms (school_id, name) VALUES ($1, $2)
      ON CONFLICT (school_id, name) DO UPDATE SET name = EXCLUDED.name RETURNING id`,
        [schoolId, name],
      );
    const rooms = [await room('Lokale 1'), await room('Lokale 2')];

    const ministryId = await user('ministeriet', 'Børne- og Undervisningsministeriet', 'ministry', null);
    await user('skoleadmin', 'Skoleadministrator', 'school_admin', schoolId);
    const invigilatorId = await user('tilsyn1', 'Tilsynsførende Hansen', 'invigilator', schoolId);
    const graderId = await user('censor1', 'Censor Jensen', 'grader', null);

    // Staff sign in with UNI-Login under their user names (npm run oidc:dev knows them); pupils via candidates.uni_id.
    await tx.query(`UPDATE users SET uni_id = username WHERE role <> 'candidate' AND uni_id IS NULL`);

    const sittingId = await one(
      `INSERT INTO sittings (subject, level, starts_at, duration_minutes, lobby_opens_minutes, aids, lockdown_profile, created_by)
      VALUES ('Dansk – skriftlig fremstilling', 9, $1, 240, $2, $3, 'browser_monitored', $4) RETURNING id`,
      [startsAt, Math.max(30, startMinutes + 1), JSON.stringify({ spellCheck: true, textToSpeech: true, internet: false, calculator: false }), ministryId],
    );
    await tx.query('INSERT INTO sitting_schools (sitting_id, school_id) VALUES ($1, $2)', [sittingId, schoolId]);
    for (const roomId of rooms) {
      await tx.query('INSERT INTO invigilator_assignments (sitting_id, room_id, user_id) VALUES ($1, $2, $3)', [sittingId, roomId, invigilatorId]);
    }
    await tx.query('INSERT INTO grader_assignments (sitting_id, user_id) VALUES ($1, $2)', [sittingId, graderId]);

    const itemSittingId = await one(
      `INSERT INTO sittings (subject, level, starts_at, duration_minutes, lobby_opens_minutes, aids, lockdown_profile, created_by)
      VALUES ($1, 9, $2, 90, $3, $4, 'browser_monitored', $5) RETURNING id`,
      [
        DEMO_ITEM_SUBJECT,
        startsAt,
        Math.max(30, startMinutes + 1),
        JSON.stringify({ spellCheck: false, textToSpeech: true, internet: false, calculator: false }),
        ministryId,
      ],
    );
    await tx.query('INSERT INTO sitting_schools (sitting_id, school_id) VALUES ($1, $2)', [itemSittingId, schoolId]);
    await tx.query('INSERT INTO invigilator_assignments (sitting_id, room_id, user_id) VALUES ($1, $2, $3)', [itemSittingId, rooms[0], invigilatorId]);
    await tx.query('INSERT INTO grader_assignments (sitting_id, user_id) VALUES ($1, $2)', [itemSittingId, graderId]);
    await storeDemoItemPackage(deps, tx, itemSittingId, ministryId);
    const mathSittingId = await seedMathDemo(deps, tx, {
      startsAt,
      lobbyOpensMinutes: Math.max(30, startMinutes + 1),
      schoolId,
      roomId: rooms[1],
      ministryId,
      invigilatorId,
      graderId,
      pupilUser: (username, name) => user(username, name, 'candidate', schoolId),
    });

    for (let i = 1; i <= CANDIDATES + DEMO_ITEM_CANDIDATES; i++) {
      const itemTest = i > CANDIDATES;
      const nn = String(i).padStart(2, '0');
      const userId = await user(`elev${nn}`, `Elev ${DEMO_NAMES[(i - 1) % DEMO_NAMES.length]}`, 'candidate', schoolId);
      const extra = i === 3 || i === CANDIDATES + 3 ? 30 : 0; // one pupil per sitting with an accommodation, to show individual end times
      const candidateId = await one(
        `INSERT INTO candidates (user_id, school_id, uni_id, full_name, class_name, extra_minutes)
        VALUES ($1, $2, $3, $4, '9.A', $5)
        ON CONFLICT (user_id) DO UPDATE SET full_name = EXCLUDED.full_name RETURNING id`,
        [userId, schoolId, `elev${nn}`, `Elev ${DEMO_NAMES[(i - 1) % DEMO_NAMES.length]}`, extra],
      );
      await tx.query(
        `INSERT INTO registrations (sitting_id, candidate_id, room_id, exam_number, extra_minutes)
        VALUES ($1, $2, $3, $4, $5)`,
        itemTest
          ? [itemSittingId, candidateId, rooms[0], formatExamNumber(itemSittingId, i - CANDIDATES), extra]
          : [sittingId, candidateId, rooms[i <= CANDIDATES / 2 ? 0 : 1], formatExamNumber(sittingId, i), extra],
      );
    }
    const paper = createPaperVault(deps).seal(Buffer.from(JSON.stringify(DEMO_PAPER)));
    await storePaper(tx, sittingId, 'richtext', paper, ministryId);
    await appendAudit(tx as pg.PoolClient, {
      action: 'demo.seeded',
      subjectType: 'sitting',
      subjectId: sittingId,
      details: { startsAt: startsAt.toISOString() },
    });

    return {
      sittingId,
      itemSittingId,
      mathSittingId,
      startsAt,
      lobbyOpensAt: new Date(startsAt.getTime() - Math.max(30, startMinutes + 1) * 60_000),
      logins: [
        { role: 'ministry', username: 'ministeriet', password: DEMO_PASSWORDS.ministry },
        { role: 'school_admin', username: 'skoleadmin', password: DEMO_PASSWORDS.school_admin },
        { role: 'invigilator', username: 'tilsyn1', password: DEMO_PASSWORDS.invigilator },
        { role: 'grader', username: 'censor1', password: DEMO_PASSWORDS.grader },
        { role: 'candidate', username: 'elev01', password: DEMO_PASSWORDS.candidate },
        { role: 'candidate', username: 'elev31', password: DEMO_PASSWORDS.candidate },
        { role: 'candidate', username: DEMO_MATH_USERNAMES[0], password: DEMO_PASSWORDS.candidate },
      ],
    };
  });
}

const DEMO_NAMES = [
  'Freja Østergaard',
  'Emil Sørensen',
  'Ida Æbelø',
  'Noah Mikkelsen',
  'Alma Kjær',
  'Oscar Bøgh',
  'Clara Lund',
  'William Dahl',
  'Agnes Nørgaard',
  'Karl Holm',
];

const para = (text: string) => ({ type: 'paragraph', content: [{ type: 'text', text }] });
/** The demo's question paper (rich text, sealed like any other until the start). */
const DEMO_PAPER = {
  type: 'doc',
  content: [
    { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Opgave 1: Et sted, der betyder noget' }] },
    para(
      'Skriv en personlig fortælling (600–900 ord) om et sted, der betyder noget for dig. Beskriv stedet, så læseren kan se, høre og mærke det, og fortæl, hvorfor det er vigtigt for dig.',
    ),
    {
      type: 'bulletList',
      content: [
        { type: 'listItem', content: [para('Giv din tekst en overskrift.')] },
        { type: 'listItem', content: [para('Brug mindst ét sansebillede i hvert afsnit.')] },
        { type: 'listItem', content: [para('Afslut med en tanke om, hvad stedet vil betyde for dig om ti år.')] },
      ],
    },
    para('Du må bruge stavekontrol og oplæsning. Du må ikke bruge internettet.'),
  ],
};
