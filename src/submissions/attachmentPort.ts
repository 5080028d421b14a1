import type { MessagePort } from 'node:worker_threads';
import type { HandedInAttachment } from '../attachments/queries.ts';

/** Gives the PDF worker one attachment's bytes by its position in the submission's list. */
export type FetchAttachment = (index: number) => Promise<Uint8Array>;

type Reply = { index: number; ok: true; bytes: Uint8Array } | { index: number; ok: false; error: string };

/**
 * Main thread: answers the worker's requests for attachment bytes, one file per request, reading it from PostgreSQL
 * only when asked and transferring (not copying) its buffer. Workers do no I/O, and a submission's ten 20 MB files
 * are never all held at once outside the PDF being written.
 */
export function serveAttachments(port: MessagePort, list: readonly HandedInAttachment[], read: (a: HandedInAttachment) => Promise<Uint8Array>): void {
  port.on('message', (index: number) => {
    const a = list[index];
    const answer = a ? read(a) : Promise.reject(new Error(`no attachment at ${index}`));
    answer.then(
      (bytes) => port.postMessage({ index, ok: true, bytes } satisfies Reply, [bytes.buffer as ArrayBuffer]),
      (err: Error) => port.postMessage({ index, ok: false, error: err.message } satisfies Reply),
    );
  });
}

/** Worker thread: asks for one attachment at a time over the port the job brought. */
export function fetchOverPort(port: MessagePort): FetchAttachment {
  return (index) =>
    new Promise((resolve, reject) => {
      port.once('message', (m: Reply) => (m.ok ? resolve(m.bytes) : reject(new Error(m.error))));
      port.postMessage(index);
    });
}
