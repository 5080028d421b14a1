import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Db } from '../db/pool.ts';
import { pdfBacklog } from '../submissions/queue.ts';

/**
 * Prometheus metrics of one server (docs/rules.md §9): one registry per server, so tests that run several servers in
 * one process keep them apart. Event-loop lag and memory come with the default Node metrics.
 */
export function createMetrics(db: Db | null) {
  const registry = new Registry();
  registry.setDefaultLabels({ service: 'provesal' });
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 10 });
  const m = {
    registry,
    connectedCandidates: new Gauge({ name: 'provesal_connected_candidates', help: 'Answer websockets open on this node', registers: [registry] }),
    updatesReceived: new Counter({
      name: 'provesal_answer_updates_received_total',
      help: 'Answer updates received (rate() gives updates/s)',
      registers: [registry],
    }),
    updatesRefused: new Counter({
      name: 'provesal_answer_updates_refused_total',
      help: 'Answer messages refused (window closed, malformed, too large)',
      labelNames: ['reason'],
      registers: [registry],
    }),
    persistBatchSize: new Histogram({
      name: 'provesal_persist_batch_size',
      help: 'Updates per group-commit transaction',
      buckets: [1, 5, 10, 25, 50, 100, 250, 500, 1000, 2000],
      registers: [registry],
    }),
    persistLatency: new Histogram({
      name: 'provesal_persist_seconds',
      help: 'Group-commit transaction latency',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    pendingUpdates: new Gauge({ name: 'provesal_pending_updates', help: 'Answer updates waiting for their group commit', registers: [registry] }),
    compactionsWaiting: new Gauge({
      name: 'provesal_compactions_waiting',
      help: 'Answers whose update log waits to be folded into a snapshot (grows if compaction cannot keep up)',
      registers: [registry],
    }),
    compactionDuration: new Histogram({
      name: 'provesal_compaction_seconds',
      help: 'Time to fold one answer log into its snapshot (read, merge, write)',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    loginDuration: new Histogram({
      name: 'provesal_login_seconds',
      help: 'Sign-in duration including the bcrypt queue',
      labelNames: ['outcome'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
      registers: [registry],
    }),
    loginQueue: new Gauge({ name: 'provesal_login_queue', help: 'Sign-ins waiting for a password-hashing thread', registers: [registry] }),
    pdfQueue: new Gauge({
      name: 'provesal_pdf_jobs',
      help: 'PDF rendering + signing jobs by state (the hand-in backlog)',
      labelNames: ['state'],
      registers: [registry],
      async collect() {
        if (!db) return;
        const b = await pdfBacklog(db).catch(() => null);
        if (!b) return;
        for (const state of ['pending', 'running', 'failed'] as const) this.set({ state }, b[state]);
      },
    }),
  };
  return m;
}

export type Metrics = ReturnType<typeof createMetrics>;
