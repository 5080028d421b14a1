import pg from 'pg';
import { FaultExam } from '../lib/faultExam.ts';
import type { PupilsResult } from '../lib/faultPupils.ts';

/** Durations of one run of the matrix: the full defaults, or --short for CI. */
export interface Timing {
  pupils: number;
  typingSeconds: number;
  faultAtSeconds: number;
  redisDownSeconds: number;
  pgRefuseSeconds: number;
  networkSeconds: number;
}

export interface ScenarioResult extends PupilsResult {
  scenario: string;
  fault: string;
  unexpectedExits: string[];
  seconds: number;
  ok: boolean;
}

const sleep = (s: number) => new Promise((r) => setTimeout(r, s * 1000));
/** Sitting long enough for the typing, every fault and the minute of settling after them. */
const minutes = (typingSeconds: number) => Math.ceil(typingSeconds / 60) + 10;

type Scenario = (t: Timing) => Promise<{ exam: FaultExam; result: PupilsResult; fault: string }>;

/** Pupils type; `inject` runs alongside from the start; the exact check ends the run. */
async function during(exam: FaultExam, typingSeconds: number, inject: () => Promise<string>, clockOffsetsMs?: number[]) {
  const typing = exam.pupils(typingSeconds, clockOffsetsMs);
  const fault = await inject();
  return { exam, result: await typing, fault };
}

export const SCENARIOS: Record<string, Scenario> = {
  /** docs/rules.md §10: a crashed server loses nothing acknowledged; pupils reconnect to its replacement. */
  'server-sigkill': async (t) => {
    const exam = await FaultExam.open({ pupils: t.pupils, sittingMinutes: minutes(t.typingSeconds) });
    const first = await exam.addNode('a');
    return during(exam, t.typingSeconds, async () => {
      await sleep(t.faultAtSeconds);
      await exam.killNode(first);
      const t0 = Date.now();
      await exam.addNode('a-restarted');
      return `SIGKILL at ${t.faultAtSeconds} s, replacement listening after ${((Date.now() - t0) / 1000).toFixed(1)} s`;
    });
  },

  /** PostgreSQL ends every app connection (a failover, an admin's pg_terminate_backend), three times. */
  'pg-terminate': async (t) => {
    const exam = await FaultExam.open({ pupils: t.pupils, sittingMinutes: minutes(t.typingSeconds) });
    await exam.addNode('a');
    const database = new URL(exam.dbUrl).pathname.slice(1);
    return during(exam, t.typingSeconds, async () => {
      let terminated = 0;
      for (let i = 0; i < 3; i++) {
        await sleep(t.typingSeconds * 0.25);
        const admin = new pg.Client({ connectionString: exam.dbUrl });
        await admin.connect();
        const { rowCount } = await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [
          database,
        ]);
        await admin.end();
        terminated += rowCount ?? 0;
      }
      return `pg_terminate_backend of all ${terminated} connections to the database, at 25 %, 50 % and 75 % of the typing`;
    });
  },

  /** PostgreSQL unreachable: connections dropped and refused for a while (a proxy in front of it stops). */
  'pg-refuse': async (t) => {
    const exam = await FaultExam.open({ pupils: t.pupils, sittingMinutes: minutes(t.typingSeconds), pgViaProxy: true });
    await exam.addNode('a');
    return during(exam, t.typingSeconds, async () => {
      await sleep(t.faultAtSeconds);
      await exam.pgProxy!.cut();
      await sleep(t.pgRefuseSeconds);
      await exam.pgProxy!.restore();
      return `PostgreSQL dropped and refusing connections for ${t.pgRefuseSeconds} s from ${t.faultAtSeconds} s`;
    });
  },

  /** Two nodes; Redis away for a while: it only carries live events (docs/rules.md §9), answers must not depend on it. */
  'redis-down': async (t) => {
    const typing = Math.max(t.typingSeconds, t.faultAtSeconds + t.redisDownSeconds + 5);
    const exam = await FaultExam.open({ pupils: t.pupils, sittingMinutes: minutes(typing), redis: 'proxy' });
    await exam.addNode('a');
    await exam.addNode('b');
    return during(exam, typing, async () => {
      await sleep(t.faultAtSeconds);
      await exam.redisProxy!.cut();
      await sleep(t.redisDownSeconds);
      await exam.redisProxy!.restore();
      return `Redis dropped and refusing connections for ${t.redisDownSeconds} s from ${t.faultAtSeconds} s, two nodes`;
    });
  },

  /** Two nodes behind the balancer; one is SIGKILLed and its pupils reconnect to the other. */
  'node-sigkill': async (t) => {
    const exam = await FaultExam.open({ pupils: t.pupils, sittingMinutes: minutes(t.typingSeconds), redis: 'direct' });
    const a = await exam.addNode('a');
    await exam.addNode('b');
    return during(exam, t.typingSeconds, async () => {
      await sleep(t.faultAtSeconds);
      await exam.killNode(a);
      return `node a SIGKILLed at ${t.faultAtSeconds} s; its pupils reconnect through the balancer to node b`;
    });
  },

  /** Half the pupils' clocks are an hour fast, half an hour slow: the server's clock decides the window. */
  'clock-skew': async (t) => {
    const exam = await FaultExam.open({ pupils: t.pupils, sittingMinutes: minutes(t.typingSeconds) });
    await exam.addNode('a');
    return during(exam, t.typingSeconds, async () => 'pupil clocks +1 h (half) and −1 h (half) in their generator threads', [3_600_000, -3_600_000]);
  },

  /** The school's network is gone (all connections dropped, none accepted), then back. */
  'network-outage': async (t) => {
    const typing = t.faultAtSeconds + t.networkSeconds + Math.max(10, t.typingSeconds - t.faultAtSeconds);
    const exam = await FaultExam.open({ pupils: t.pupils, sittingMinutes: minutes(typing) });
    await exam.addNode('a');
    return during(exam, typing, async () => {
      await sleep(t.faultAtSeconds);
      await exam.lb.cut();
      await sleep(t.networkSeconds);
      await exam.lb.restore();
      return `pupils' network down for ${t.networkSeconds} s from ${t.faultAtSeconds} s; typing ${typing} s in all`;
    });
  },
};

/** Runs one scenario and always tears its processes and database down. */
export async function runScenario(name: string, t: Timing): Promise<ScenarioResult> {
  const t0 = Date.now();
  try {
    const { exam, result, fault } = await SCENARIOS[name](t);
    const ok = result.lost === 0 && result.incomplete === 0 && result.acked > 0 && exam.unexpectedExits.length === 0;
    return { scenario: name, fault, ...result, unexpectedExits: exam.unexpectedExits, seconds: Math.round((Date.now() - t0) / 1000), ok };
  } finally {
    // Also when the scenario threw half-way: its nodes, proxies and database go.
    for (const exam of [...FaultExam.live]) await exam.close();
  }
}
