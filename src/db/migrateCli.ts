import { loadConfig } from '../config.ts';
import { openDatabase } from './database.ts';
import { migrate } from './migrate.ts';

const database = await openDatabase(
  loadConfig(),
  () => {
    /* quiet */
  },
  'attach',
);
let exitCode = 0;
try {
  const { applied } = await migrate(database.db);
  console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Migrations are current: nothing to apply.');
} catch (err) {
  console.error((err as Error).message);
  exitCode = 1;
} finally {
  await database.close();
}
process.exit(exitCode);
