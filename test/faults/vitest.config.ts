import { defineConfig } from 'vitest/config';

// The fault matrix's short scenarios (~3 min): run by CI beside `npm test`, kept out of it so the everyday
// suite stays fast. `npm run test:faults`.
export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['test/faults/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    maxWorkers: 1,
  },
});
