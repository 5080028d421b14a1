import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import * as Y from 'yjs';
import { parseItem } from '../../../src/items/itemParser.ts';
import { readAssessmentTest } from '../../../src/items/manifest.ts';
import { stripForPupil } from '../../../src/items/pupilView.ts';
import { RESPONSES_MAP, type ItemTestView } from '../../../src/protocol/itemResponses.ts';
import { loadStoredDocument } from '../../../src/sync/queries.ts';
import type { Demo } from './demo.ts';

const PACKAGE = path.resolve(import.meta.dirname, '../../fixtures/qti/retskrivning');

/**
 * The demo's item-test pupil. While the server's item routes are not on this branch, the essay pupil elev01 is
 * shown the fixture package instead: the registration view gets `itemTest` and GET /api/sittings/:id/items is
 * answered from the fixtures, stripped by the server's own stripForPupil. Everything else (sign-in, the answer
 * socket, saving, hand-in) is the real server.
 */
export async function itemTestStandIn(page: Page) {
  const username = 'elev01';
  const registrationOf = async (demo: Demo, user: string) =>
    Number(
      (
        await demo.database.db.query(
          `SELECT r.id FROM registrations r JOIN candidates c ON c.id = r.candidate_id JOIN users u ON u.id = c.user_id WHERE u.username = $1`,
          [user],
        )
      ).rows[0].id,
    );
  const test = readAssessmentTest(readFileSync(path.join(PACKAGE, 'test.xml'), 'utf8'), 'test.xml').test!;
  const view: ItemTestView = {
    parts: test.parts.map((p) => ({
      identifier: p.identifier,
      navigationMode: p.navigationMode,
      timeLimitSeconds: p.maxTimeSeconds,
      items: p.itemFiles.map((f) => {
        const xml = readFileSync(path.join(PACKAGE, f), 'utf8');
        const item = parseItem(xml, f).item!;
        return { identifier: item.identifier, title: item.title, xml: stripForPupil(xml, f) };
      }),
    })),
  };
  await page.route(/\/api\/exam\/registrations\/\d+$/, async (route) => {
    const res = await route.fetch();
    const json = (await res.json()) as { startsAt: string; itemTest?: unknown };
    let at = Date.parse(json.startsAt);
    const parts = test.parts.map((p) => ({ part: p.identifier, endsAt: new Date((at += (p.maxTimeSeconds ?? 0) * 1000)).toISOString() }));
    await route.fulfill({ response: res, json: { ...json, itemTest: json.itemTest ?? { parts } } });
  });
  await page.route(/\/api\/sittings\/\d+\/items$/, (route) => route.fulfill({ json: view }));
  return {
    username,
    sittingId: async (demo: Demo) =>
      Number((await demo.database.db.query(`SELECT sitting_id FROM registrations WHERE id = $1`, [await registrationOf(demo, username)])).rows[0].sitting_id),
    /** The item responses PostgreSQL holds for the pupil (snapshot + update log). */
    storedResponses: async (demo: Demo): Promise<Record<string, unknown>> => {
      const stored = await loadStoredDocument(demo.database.db, await registrationOf(demo, username));
      const doc = new Y.Doc();
      if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
      for (const u of stored.updates) Y.applyUpdate(doc, u);
      return doc.getMap(RESPONSES_MAP).toJSON();
    },
    storedHash: async (demo: Demo): Promise<string> =>
      String(
        (await demo.database.db.query(`SELECT text_sha256 FROM submissions WHERE registration_id = $1`, [await registrationOf(demo, username)])).rows[0]
          ?.text_sha256,
      ),
  };
}
