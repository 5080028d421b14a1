import { appendAudit, hasAuditEntry } from '../audit/auditLog.ts';
import { withTransaction } from '../db/pool.ts';
import type { Actor, AppDeps } from '../http/context.ts';
import { AppError } from '../http/errors.ts';
import type { PaperVault } from './paperVault.ts';
import { loadPaper, lockPaperRelease, type SittingRow } from './queries.ts';

/**
 * Opens sealed question papers for readers the routes have already admitted, and audits the first release of
 * each sitting's paper once (docs/rules.md §2). One per node: it caches what it has decrypted.
 */
export class PaperReader {
  // After the start thousands of pupils fetch the same paper within a second: decrypt once per node.
  private readonly released = new Map<string, { body: Buffer; sha256: string }>();
  private readonly releasedAudited = new Set<number>();

  constructor(
    private readonly deps: AppDeps,
    private readonly vault: PaperVault,
  ) {}

  /** The decrypted paper of this kind; cached only from the start, so a paper replaced before the start is re-read. */
  async open(s: SittingRow, kind: 'pdf' | 'richtext', now: Date): Promise<Buffer> {
    const key = `${s.id}:${kind}`;
    let paper = this.released.get(key);
    if (!paper) {
      const stored = await loadPaper(this.deps.db, s.id, kind);
      if (!stored) throw new AppError(404, 'no-paper', 'Der er ikke uploadet et opgavesæt.', 'No question paper has been uploaded.');
      paper = { body: this.vault.open(stored), sha256: stored.sha256 };
      if (now.getTime() >= s.starts_at.getTime()) this.released.set(key, paper);
    }
    return paper.body;
  }

  /** Audits "paper.released" once per sitting; the advisory lock keeps two nodes from both writing it. */
  async noteRelease(sittingId: number, actor: Actor): Promise<void> {
    if (this.releasedAudited.has(sittingId)) return;
    this.releasedAudited.add(sittingId);
    await withTransaction(this.deps.db, async (tx) => {
      await lockPaperRelease(tx, sittingId);
      if (!(await hasAuditEntry(tx, 'paper.released', sittingId))) {
        await appendAudit(tx, { actor, action: 'paper.released', subjectType: 'sitting', subjectId: sittingId });
      }
    });
  }
}
