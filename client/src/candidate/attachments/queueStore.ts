/**
 * The pupil's files waiting to upload, kept in IndexedDB (docs/rules.md §15.10): the file itself and, once the server
 * has made it, the tus upload's URL. A reload or a crash loses nothing that was chosen; the queue carries on from the
 * server's offset. An entry leaves once its upload is finished or refused.
 */
export interface QueuedFile {
  key: string;
  registrationId: number;
  file: Blob;
  name: string;
  /** The tus upload's URL once created; null until the server answered the creation. */
  uploadUrl: string | null;
  /** Pasted or dropped into the answer: shown inline, its image node found by this entry's key. */
  image: boolean;
  addedAt: number;
}

const DB = 'provesal-attachments';
const STORE = 'queue';

let opening: Promise<IDBDatabase> | null = null;

function open(): Promise<IDBDatabase> {
  opening ??= new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'key' });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => {
      opening = null;
      reject(req.error ?? new Error('IndexedDB unavailable'));
    };
  });
  return opening;
}

async function run<T>(mode: IDBTransactionMode, op: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    const req = op(tx.objectStore(STORE));
    // Resolved when the transaction is durable, not merely when the request ran.
    tx.oncomplete = () => resolve(req.result);
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB write failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB write aborted'));
  });
}

export const putQueued = (f: QueuedFile): Promise<unknown> => run('readwrite', (s) => s.put(f));
export const deleteQueued = (key: string): Promise<unknown> => run('readwrite', (s) => s.delete(key));

/** This answer's waiting files, in the order they were chosen. */
export async function listQueued(registrationId: number): Promise<QueuedFile[]> {
  const all = (await run('readonly', (s) => s.getAll())) as QueuedFile[];
  return all.filter((f) => f.registrationId === registrationId).sort((a, b) => a.addedAt - b.addedAt);
}

/**
 * Forgets this answer's waiting files once it is handed in: they can no longer be part of it (§15.9), and a shared
 * school computer should not keep a pupil's files.
 */
export async function forgetQueued(registrationId: number): Promise<void> {
  for (const f of await listQueued(registrationId)) await deleteQueued(f.key);
}
