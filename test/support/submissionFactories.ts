import { Node, getSchema } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import { TableKit } from '@tiptap/extension-table';
import { prosemirrorJSONToYDoc } from '@tiptap/y-tiptap';
import { createHash, randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import * as Y from 'yjs';
import type { Queryable } from '../../src/db/pool.ts';
import { enqueuePdfJob } from '../../src/submissions/queue.ts';
import { loadSigningIdentity, type SigningIdentity } from '../../src/submissions/signingIdentity.ts';

/** Factories for submissions without the exam helper's hand-in code: rows as a hand-in would write them. */

// The editor's image node (pasted images as data: URLs); not part of StarterKit.
const ImageNode = Node.create({ name: 'image', group: 'block', atom: true, addAttributes: () => ({ src: { default: null } }) });
const schema = getSchema([StarterKit, TableKit, ImageNode]);

export type PmNode = { type: string; attrs?: Record<string, unknown>; content?: PmNode[]; text?: string; marks?: { type: string }[] };
export const text = (t: string, ...marks: string[]): PmNode => ({ type: 'text', text: t, ...(marks.length ? { marks: marks.map((type) => ({ type })) } : {}) });
export const p = (...content: PmNode[]): PmNode => ({ type: 'paragraph', content });
export const h = (level: number, t: string): PmNode => ({ type: 'heading', attrs: { level }, content: [text(t)] });

/** A frozen Yjs state of a Tiptap document, built the way y-prosemirror stores it. */
export function answerState(...content: PmNode[]): Uint8Array {
  const doc = prosemirrorJSONToYDoc(schema, { type: 'doc', content: content.length ? content : [{ type: 'paragraph' }] }, 'answer');
  return Y.encodeStateAsUpdate(doc);
}

/** Plain text of a state, as the receipt hash is computed over. */
export function plainText(state: Uint8Array): string {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  const out: string[] = [];
  const walk = (n: Y.XmlElement | Y.XmlText | Y.XmlFragment) => {
    if (n instanceof Y.XmlText) out.push(n.toString().replace(/<[^>]+>/g, ''));
    else for (const c of n.toArray()) walk(c as Y.XmlElement);
    if (n instanceof Y.XmlElement && ['paragraph', 'heading', 'tableCell', 'tableHeader'].includes(n.nodeName)) out.push('\n');
  };
  walk(doc.getXmlFragment('answer'));
  return out.join('');
}

/** Inserts a current submission (+ PDF job, as a hand-in does) and marks the registration handed in. */
export async function buildSubmission(q: Queryable, o: { registrationId: number; state?: Uint8Array; handedInAt?: Date; enqueue?: boolean }) {
  const state = o.state ?? answerState(p(text('Det var en kold morgen på Ærø, og økonomien gik skævt.')));
  const plain = plainText(state);
  const sha = createHash('sha256').update(plain).digest('hex');
  const handedInAt = o.handedInAt ?? new Date();
  const { rows } = await q.query<{ id: number }>(
    `INSERT INTO submissions (registration_id, final_state, plain_text, text_sha256, word_count, handed_in_at, handed_in_by, receipt_code)
     VALUES ($1, $2, $3, $4, $5, $6, 'candidate', $7) RETURNING id`,
    [o.registrationId, Buffer.from(state), plain, sha, plain.split(/\s+/).filter(Boolean).length, handedInAt, randomBytes(8).toString('hex')],
  );
  await q.query("UPDATE registrations SET state = 'handed_in', handed_in_at = $2 WHERE id = $1", [o.registrationId, handedInAt]);
  if (o.enqueue !== false) await enqueuePdfJob(q, rows[0].id);
  return { submissionId: rows[0].id, sha256: sha, plain };
}

/** One signing identity for the whole run (a self-made CA under the OS temp dir). */
export const TEST_SIGNING_DIR = path.join(os.tmpdir(), 'provesal-test-signing');
let identity: SigningIdentity | null = null;
export const testIdentity = (): SigningIdentity => (identity ??= loadSigningIdentity({ DATA_DIR: TEST_SIGNING_DIR }));

export const candidateName = async (q: Queryable, registrationId: number): Promise<string> =>
  (await q.query<{ full_name: string }>('SELECT c.full_name FROM registrations r JOIN candidates c ON c.id = r.candidate_id WHERE r.id = $1', [registrationId]))
    .rows[0].full_name;

/** A 1×1 PNG as a data: URL (what the editor stores for a pasted image). */
export const PNG_DATA_URL = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
