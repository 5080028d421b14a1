// npm run items:rescore -- --sitting N : rescores every submission of a sitting with the key corrections recorded so
// far (docs/rules.md §14.6) and prints one JSON line: {"sitting":N,"submissions":n,"changed":n,"corrections":n}.
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/database.ts';
import { createLogger } from '../monitoring/logger.ts';
import { loadMasterKey, PaperVault } from '../scheduling/paperVault.ts';
import { ItemTestReader } from './itemTestReader.ts';
import { rescoreSitting } from './keyCorrector.ts';

const { values } = parseArgs({ options: { sitting: { type: 'string' } } });
const sittingId = Number(values.sitting);
if (!Number.isInteger(sittingId) || sittingId <= 0) {
  console.error('Brug / usage: npm run items:rescore -- --sitting N');
  process.exit(2);
}
const config = loadConfig();
const log = createLogger('warn');
const database = await openDatabase(
  config,
  () => {
    /* quiet */
  },
  'attach',
);
try {
  const reader = new ItemTestReader(database.db, new PaperVault(loadMasterKey(config.PAPER_MASTER_KEY, config.DATA_DIR, (m) => log.warn(m))));
  console.log(JSON.stringify(await rescoreSitting(database.db, reader, null, sittingId)));
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
} finally {
  await database.close();
}
