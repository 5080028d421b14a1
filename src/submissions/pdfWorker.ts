import { createHash } from 'node:crypto';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { answerBlocks, nodesOf } from './answerDoc.ts';
import { AnswerImages, DRAWABLE, referencedAttachments } from './answerImages.ts';
import { fetchOverPort, type FetchAttachment } from './attachmentPort.ts';
import { loadFormulaRenderer } from './formulaSvg.ts';
import { appendAttachments } from './pdfAttachments.ts';
import { findPdfFonts } from './pdfFont.ts';
import { buildAnswerPdf, stampAnswerPdf, type SubmissionPdfInput } from './pdfRenderer.ts';
import type { Doc } from './pdfStyle.ts';
import { signPdfDocument } from './signer.ts';
import type { SigningIdentity } from './signingIdentity.ts';

/** One job for a PDF worker thread: lay out, sign, hash. */
export interface PdfWorkJob {
  input: SubmissionPdfInput;
  signingTime: string;
  /** Where the attachments' bytes are asked for, one at a time (attachmentPort.ts); only when there are any. */
  port?: MessagePort;
}
export interface PdfWorkResult {
  pdf: Uint8Array;
  sha256: string;
}

// Runs inside a worker thread (WorkerPool): rendering and RSA signing are CPU-bound and must never
// stall the main thread's live websockets during the hand-in storm (docs/rules.md §6).
const identity = (workerData as { identity?: SigningIdentity } | null)?.identity as SigningIdentity;
const fonts = findPdfFonts();

/** Renders and signs one submission (exported for tests and benchmarks that run it in-process with their own `fetch`). */
export async function renderSignedPdf(job: PdfWorkJob, id: SigningIdentity = identity, fetch?: FetchAttachment): Promise<PdfWorkResult> {
  const from = fetch ?? (job.port ? fetchOverPort(job.port) : null);
  const list = job.input.attachments ?? [];
  if (list.length && !from) throw new Error('a submission with attachments needs a way to fetch them');
  // The answer is read once here: images it shows inline are fetched before the (synchronous) layout, and MathJax
  // (set up once per worker, ~1 s) is loaded only by a worker that meets a formula.
  const blocks = job.input.items ? [] : answerBlocks(job.input.finalState);
  const images = from && list.some((a) => DRAWABLE.has(a.mimeType)) ? await AnswerImages.load(list, referencedAttachments(blocks), from) : undefined;
  const formula = [...nodesOf(blocks)].some((n) => n.kind === 'formula') ? await loadFormulaRenderer() : undefined;
  const art = { ...(formula && { formula }), ...(images && { attachmentImage: (d: Doc, id: string) => images.open(d, id) }) };
  const doc = buildAnswerPdf(job.input, fonts, { stamp: false, art, ...(job.input.items ? {} : { blocks }) });
  if (list.length && from) await appendAttachments(doc, job.input, images?.fetch ?? from, images);
  job.port?.close();
  stampAnswerPdf(doc, job.input);
  const pdf = await signPdfDocument(doc, id, new Date(job.signingTime));
  return { pdf, sha256: createHash('sha256').update(pdf).digest('hex') };
}

parentPort?.on('message', (job: PdfWorkJob) => {
  // Every outcome goes back to the pool as a message: a failed job fails alone, the worker lives on.
  renderSignedPdf(job).then(
    // A PDF with attachments can be 100 MB: hand its memory over rather than copy it, when it owns that memory.
    (value) => parentPort!.postMessage({ ok: true, value }, value.pdf.byteLength === value.pdf.buffer.byteLength ? [value.pdf.buffer as ArrayBuffer] : []),
    (err: Error) => parentPort!.postMessage({ ok: false, error: err.stack ?? String(err) }),
  );
});
