import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/database.ts';
import { verifyAuditChain } from './auditLog.ts';

const database = await openDatabase(
  loadConfig(),
  () => {
    /* quiet */
  },
  'attach',
);
let exitCode = 0;
try {
  const { broken, checked } = await verifyAuditChain(database.db);
  if (broken === null) {
    console.log(`OK: ${checked} audit entries, chain intact`);
  } else {
    console.log(`BROKEN: first broken audit entry id ${broken} (after ${checked} good entries)`);
    exitCode = 1;
  }
} finally {
  await database.close();
}
process.exit(exitCode);
