import { randomBytes } from 'node:crypto';
import { migrate } from '../../src/db/migrate.ts';
import { createPool, type Db } from '../../src/db/pool.ts';
import { freshBenchDatabase } from './benchDatabase.ts';
import { runPupils, type PupilsResult } from './faultPupils.ts';
import { spawnNode, type FaultNode } from './faultServer.ts';
import { seedLoadSitting } from './seed.ts';
import { TcpProxy } from './tcpProxy.ts';

const REDIS = { host: '127.0.0.1', port: 6379 };

export interface ExamOptions {
  pupils: number;
  sittingMinutes: number;
  pgViaProxy?: boolean;
  redis?: 'none' | 'direct' | 'proxy';
}

/**
 * One exam for a fault scenario: a fresh database (DATABASE_URL's server, or an embedded one), a sitting
 * that is open now with N pupils holding sessions, app nodes as child processes, and TCP proxies where a
 * fault needs one: pupils always connect through `lb` (their network and the load balancer), nodes reach
 * PostgreSQL through `pgProxy` and Redis through `redisProxy` when asked.
 */
export class FaultExam {
  /** Exams not yet closed: a scenario that throws half-way still gets its processes and database torn down. */
  static readonly live = new Set<FaultExam>();
  readonly lb = new TcpProxy([]);
  pgProxy: TcpProxy | null = null;
  redisProxy: TcpProxy | null = null;
  readonly nodes: FaultNode[] = [];
  /** Nodes that exited without the script killing them (a crash is a finding of its own). */
  readonly unexpectedExits: string[] = [];
  private readonly killed = new Set<FaultNode>();
  private readonly prefix = `faults${randomBytes(3).toString('hex')}:`;
  private candidates: { registrationId: number; cookie: string; seed: number }[] = [];

  private constructor(
    readonly o: ExamOptions,
    readonly db: Db,
    readonly dbUrl: string,
    private readonly drop: () => Promise<void>,
  ) {}

  static async open(o: ExamOptions): Promise<FaultExam> {
    const database = await freshBenchDatabase();
    const db = createPool(database.url, 4);
    const exam = new FaultExam(o, db, database.url, database.drop);
    FaultExam.live.add(exam);
    await migrate(db);
    // Open a minute ago, long enough for typing, faults and the settling after them.
    const { candidates } = await seedLoadSitting(db, {
      candidates: o.pupils,
      startsAt: new Date(Date.now() - 60_000),
      durationMinutes: o.sittingMinutes,
      sessions: true,
    });
    exam.candidates = candidates.map((c, i) => ({ registrationId: c.registrationId, cookie: c.cookie!, seed: i + 1 }));
    await exam.lb.listen();
    if (o.pgViaProxy) {
      const u = new URL(database.url);
      exam.pgProxy = new TcpProxy([{ host: u.hostname, port: Number(u.port || 5432) }]);
      await exam.pgProxy.listen();
    }
    if (o.redis === 'proxy') {
      exam.redisProxy = new TcpProxy([REDIS]);
      await exam.redisProxy.listen();
    }
    return exam;
  }

  private nodeEnv(): Record<string, string | undefined> {
    let url = this.dbUrl;
    if (this.pgProxy) {
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(this.pgProxy.port);
      url = u.toString();
    }
    const redis =
      this.o.redis === 'proxy' ? `redis://127.0.0.1:${this.redisProxy!.port}` : this.o.redis === 'direct' ? `redis://${REDIS.host}:${REDIS.port}` : undefined;
    return { DATABASE_URL: url, REDIS_URL: redis, REDIS_CHANNEL_PREFIX: this.prefix, DATABASE_POOL_MAX: '10' };
  }

  /** Starts one more app node and puts it behind the load balancer. */
  async addNode(name: string): Promise<FaultNode> {
    const node = await spawnNode(name, this.nodeEnv());
    this.nodes.push(node);
    this.balance();
    return node;
  }

  private balance(): void {
    this.lb.setUpstreams(this.nodes.filter((n) => !this.killed.has(n)).map((n) => ({ host: '127.0.0.1', port: n.port })));
  }

  /** Kills a node (SIGKILL: no flush, no goodbye) and takes it out of the balancer, as its health check would. */
  async killNode(node: FaultNode): Promise<void> {
    this.killed.add(node);
    await node.kill('SIGKILL');
    this.balance();
  }

  /** Pupils type for typingSeconds through the balancer while the caller injects faults; then the exact check. */
  async pupils(typingSeconds: number, clockOffsetsMs?: number[]): Promise<PupilsResult> {
    const watch = setInterval(() => this.noteExits(), 500);
    try {
      return await runPupils({ baseUrl: `http://127.0.0.1:${this.lb.port}`, candidates: this.candidates, typingSeconds, db: this.db, clockOffsetsMs });
    } finally {
      clearInterval(watch);
      this.noteExits();
    }
  }

  private noteExits(): void {
    for (const n of this.nodes) {
      if (this.killed.has(n) || this.unexpectedExits.includes(n.name)) continue;
      try {
        process.kill(n.pid, 0);
      } catch (err) {
        this.unexpectedExits.push(n.name);
        console.error(`node ${n.name} exited unexpectedly (${(err as Error).message}); its last output:\n${n.log().slice(-2000)}`);
      }
    }
  }

  async close(): Promise<void> {
    FaultExam.live.delete(this);
    for (const n of this.nodes) await n.kill('SIGTERM');
    await this.lb.close();
    await this.pgProxy?.close();
    await this.redisProxy?.close();
    await this.db.end();
    await this.drop();
  }
}
