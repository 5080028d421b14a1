import { Upload, type DetailedError } from 'tus-js-client';
import { ATTACHMENT_METADATA as M, ATTACHMENT_UPLOAD_PATH } from '../../../../src/protocol/attachments.ts';
import { reconnectDelay } from '../../shell/backoff.ts';
import { currentLang, tr } from '../../shell/i18n.ts';
import { deleteQueued, listQueued, putQueued, type QueuedFile } from './queueStore.ts';

/** Small enough that progress moves and a dropped network loses little; large enough to keep requests few. */
export const CHUNK_BYTES = 256 * 1024;

export type UploadStatus = 'waiting' | 'uploading' | 'offline' | 'retrying';

export interface QueueEntry {
  file: QueuedFile;
  sent: number;
  status: UploadStatus;
}

export interface QueueHooks {
  changed(): void;
  /** The server has the whole file: its id and, when this request finished it, the SHA-256 it computed. */
  done(file: QueuedFile, id: string, sha256: string | null): void;
  refused(file: QueuedFile, message: string): void;
}

/** The attachment id is the tus upload's id: the last segment of its URL. */
export const attachmentIdOf = (uploadUrl: string): string => new URL(uploadUrl, location.href).pathname.split('/').pop() ?? '';

/**
 * The upload queue of one answer (docs/rules.md §15.10): one file at a time with tus in chunks, its URL stored
 * beside the file in IndexedDB so a reload resumes it. Going offline stops the request; coming back resumes from
 * the offset the server reports. Network failures retry with backoff for ever; a refusal (4xx with problem+json)
 * leaves the queue with the server's words.
 */
export class UploadQueue {
  private readonly entries: QueueEntry[] = [];
  private current: { entry: QueueEntry; upload: Upload } | null = null;
  private attempt = 0;
  private retryTimer: number | null = null;
  private stopped = false;
  private readonly onOnline = () => {
    // Back online: no need to sit out the rest of a backoff meant for a network that was down.
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.kick();
  };
  private readonly onOffline = () => {
    if (!this.current) return;
    const { entry, upload } = this.current;
    this.current = null;
    entry.status = 'offline';
    void upload.abort();
    this.hooks.changed();
  };

  constructor(
    private readonly registrationId: number,
    private readonly hooks: QueueHooks,
  ) {
    window.addEventListener('online', this.onOnline);
    window.addEventListener('offline', this.onOffline);
  }

  list(): readonly QueueEntry[] {
    return this.entries;
  }

  /** Picks up what a previous page left in IndexedDB. */
  async restore(): Promise<QueuedFile[]> {
    const files = await listQueued(this.registrationId);
    for (const file of files) if (!this.entries.some((e) => e.file.key === file.key)) this.entries.push({ file, sent: 0, status: 'waiting' });
    this.hooks.changed();
    this.kick();
    return files;
  }

  /** Stores the file first, so a crash right after choosing it still uploads it. */
  async add(file: Blob, name: string, image: boolean, key: string = crypto.randomUUID()): Promise<QueuedFile> {
    const queued: QueuedFile = { key, registrationId: this.registrationId, file, name, uploadUrl: null, image, addedAt: Date.now() };
    await putQueued(queued);
    this.entries.push({ file: queued, sent: 0, status: 'waiting' });
    this.hooks.changed();
    this.kick();
    return queued;
  }

  destroy(): void {
    this.stopped = true;
    window.removeEventListener('online', this.onOnline);
    window.removeEventListener('offline', this.onOffline);
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    void this.current?.upload.abort();
    this.current = null;
  }

  private kick(): void {
    if (this.stopped || this.current || this.retryTimer !== null) return;
    const entry = this.entries[0];
    if (!entry) return;
    if (!navigator.onLine) {
      entry.status = 'offline';
      return this.hooks.changed();
    }
    entry.status = 'uploading';
    const { file } = entry;
    const upload = new Upload(file.file, {
      endpoint: ATTACHMENT_UPLOAD_PATH,
      uploadUrl: file.uploadUrl,
      chunkSize: CHUNK_BYTES,
      retryDelays: [0, 1000, 3000],
      metadata: { [M.registrationId]: String(this.registrationId), [M.filename]: file.name, [M.filetype]: file.file.type },
      headers: { 'accept-language': currentLang() },
      storeFingerprintForResuming: false,
      onUploadUrlAvailable: () => {
        file.uploadUrl = upload.url;
        void putQueued(file);
      },
      onProgress: (sent) => {
        entry.sent = sent;
        entry.status = 'uploading';
        this.attempt = 0;
        this.hooks.changed();
      },
      onShouldRetry: (err) => retryable(err) && navigator.onLine,
      onSuccess: ({ lastResponse }) => {
        this.finish(entry, upload);
        this.hooks.done(file, attachmentIdOf(upload.url ?? file.uploadUrl ?? ''), lastResponse.getHeader('attachment-sha256') || null);
      },
      onError: (err) => this.failed(entry, upload, err),
    });
    this.current = { entry, upload };
    this.hooks.changed();
    upload.start();
  }

  private finish(entry: QueueEntry, upload: Upload): void {
    if (this.current?.upload === upload) this.current = null;
    this.entries.splice(this.entries.indexOf(entry), 1);
    void deleteQueued(entry.file.key);
    this.attempt = 0;
    this.hooks.changed();
    this.kick();
  }

  private failed(entry: QueueEntry, upload: Upload, err: Error | DetailedError): void {
    if (this.current?.upload !== upload) return; // aborted on purpose (offline, destroyed)
    const refusal = refusalOf(err);
    if (refusal) {
      this.finish(entry, upload);
      return this.hooks.refused(entry.file, refusal);
    }
    this.current = null;
    entry.status = navigator.onLine ? 'retrying' : 'offline';
    this.hooks.changed();
    if (!navigator.onLine) return; // the online event resumes it
    this.retryTimer = window.setTimeout(() => {
      this.retryTimer = null;
      this.kick();
    }, reconnectDelay(this.attempt++));
  }
}

/** A server answer meant as a final decision: a client error the server explained (problem+json). */
function refusalOf(err: Error | DetailedError): string | null {
  const res = 'originalResponse' in err ? err.originalResponse : null;
  const status = res?.getStatus() ?? 0;
  if (!res || status < 400 || status >= 500 || retryableStatus(status, res.getHeader('content-type') ?? '')) return null;
  try {
    const body = JSON.parse(res.getBody()) as { detail?: string };
    if (body.detail) return body.detail;
  } catch {
    /* not JSON: the general words below */
  }
  return tr(`Filen blev afvist (${status}).`, `The file was refused (${status}).`);
}

/** tus's own offset conflict (409 without problem+json) and a locked upload are tried again; our refusals are not. */
const retryableStatus = (status: number, contentType: string): boolean => (status === 409 || status === 423) && !contentType.includes('problem+json');

function retryable(err: DetailedError): boolean {
  const status = err.originalResponse?.getStatus() ?? 0;
  if (status === 0 || status >= 500) return true;
  return retryableStatus(status, err.originalResponse?.getHeader('content-type') ?? '');
}
