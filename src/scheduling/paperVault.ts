import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface SealedPaper {
  wrappedKey: Buffer;
  iv: Buffer;
  authTag: Buffer;
  ciphertext: Buffer;
  sha256: string;
  byteSize: number;
}

/**
 * Question papers are sealed until the start (docs/rules.md §2): AES-256-GCM under a fresh per-sitting data key, the
 * data key itself wrapped (AES-256-GCM) by the service's master key. A database dump alone reveals nothing.
 */
export class PaperVault {
  constructor(private readonly masterKey: Buffer) {
    if (masterKey.length !== 32) throw new Error('The paper master key must be 32 bytes');
  }

  seal(plain: Buffer): SealedPaper {
    const dataKey = randomBytes(32);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', dataKey, iv);
    const ciphertext = Buffer.concat([cipher.update(plain), cipher.final()]);
    return {
      wrappedKey: this.wrap(dataKey),
      iv,
      authTag: cipher.getAuthTag(),
      ciphertext,
      sha256: createHash('sha256').update(plain).digest('hex'),
      byteSize: plain.length,
    };
  }

  /** Throws if anything was altered (GCM authentication). */
  open(p: Pick<SealedPaper, 'wrappedKey' | 'iv' | 'authTag' | 'ciphertext'>): Buffer {
    const decipher = createDecipheriv('aes-256-gcm', this.unwrap(p.wrappedKey), p.iv);
    decipher.setAuthTag(p.authTag);
    return Buffer.concat([decipher.update(p.ciphertext), decipher.final()]);
  }

  private wrap(dataKey: Buffer): Buffer {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.masterKey, iv);
    const body = Buffer.concat([c.update(dataKey), c.final()]);
    return Buffer.concat([iv, c.getAuthTag(), body]);
  }

  private unwrap(wrapped: Buffer): Buffer {
    const d = createDecipheriv('aes-256-gcm', this.masterKey, wrapped.subarray(0, 12));
    d.setAuthTag(wrapped.subarray(12, 28));
    return Buffer.concat([d.update(wrapped.subarray(28)), d.final()]);
  }
}

/** PAPER_MASTER_KEY (base64 or hex), or a key generated once under DATA_DIR (mode 0600). */
export function loadMasterKey(configured: string | undefined, dataDir: string, log: (m: string) => void): Buffer {
  if (configured) {
    const key = /^[0-9a-f]{64}$/i.test(configured) ? Buffer.from(configured, 'hex') : Buffer.from(configured, 'base64');
    if (key.length !== 32) throw new Error('PAPER_MASTER_KEY must be 32 bytes, as 64 hex characters or base64');
    return key;
  }
  const file = path.resolve(dataDir, 'paper-master.key');
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  mkdirSync(path.dirname(file), { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, key.toString('base64'), { mode: 0o600 });
  chmodSync(file, 0o600);
  log(`Generated the question-paper master key at ${file}; set PAPER_MASTER_KEY in production and keep a backup.`);
  return key;
}
