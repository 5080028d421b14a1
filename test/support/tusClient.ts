/** The tus 1.0 protocol spoken with fetch, so a test controls exactly which bytes go where and when a body breaks. */

const TUS = { 'tus-resumable': '1.0.0' };

export const tusMetadata = (m: Record<string, string | number>) =>
  Object.entries(m)
    .map(([k, v]) => `${k} ${Buffer.from(String(v)).toString('base64')}`)
    .join(',');

export interface Creation {
  registrationId: number;
  filename: string;
  filetype?: string;
  size: number;
}

export function createUpload(base: string, cookie: string, c: Creation, body?: Buffer | ReadableStream<Uint8Array>): Promise<Response> {
  const { size, ...meta } = c;
  return fetch(`${base}/api/attachments/uploads`, {
    method: 'POST',
    headers: {
      ...TUS,
      cookie,
      origin: base,
      'upload-length': String(size),
      'upload-metadata': tusMetadata(meta),
      ...(body ? { 'content-type': 'application/offset+octet-stream' } : {}),
    },
    body: Buffer.isBuffer(body) ? new Uint8Array(body) : body,
    duplex: 'half',
  } as RequestInit);
}

export function patchUpload(url: string, cookie: string, offset: number, body: Buffer | ReadableStream<Uint8Array>): Promise<Response> {
  return fetch(url, {
    method: 'PATCH',
    headers: { ...TUS, cookie, origin: new URL(url).origin, 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream' },
    body,
    duplex: 'half',
  } as RequestInit);
}

export async function uploadOffset(url: string, cookie: string): Promise<{ status: number; offset: number | null }> {
  const res = await fetch(url, { method: 'HEAD', headers: { ...TUS, cookie } });
  const o = res.headers.get('upload-offset');
  return { status: res.status, offset: o === null ? null : Number(o) };
}

/**
 * A body that sends `bytes` in small pieces and then breaks the connection, like a school network dropping out
 * mid-chunk.
 */
export function breakingBody(bytes: Buffer, piece = 64 * 1024): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    async pull(controller) {
      if (at >= bytes.length) {
        // Give the server a moment to receive the last piece before the connection drops.
        await new Promise((r) => setTimeout(r, 100));
        controller.error(new Error('network dropped'));
        return;
      }
      controller.enqueue(bytes.subarray(at, at + piece));
      at += piece;
    },
  });
}

/** A body that sends 1 MB and then never ends. */
export function endlessBody(): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    pull: (controller) => (sent < 1024 * 1024 ? (controller.enqueue(new Uint8Array(64 * 1024)), void (sent += 64 * 1024)) : new Promise<void>(() => undefined)),
  });
}

/** A problem+json response as one object: status, content type and the document's fields. */
export const problem = async (res: Response) => ({
  status: res.status,
  contentType: res.headers.get('content-type'),
  ...((await res.json()) as { type: string; detail: string }),
});

export async function listAttachments(base: string, cookie: string, registrationId: number) {
  const res = await fetch(`${base}/api/attachments/registrations/${registrationId}`, { headers: { cookie } });
  return { status: res.status, body: (await res.json()) as { attachments: { id: string; name: string; size: number; type: string; sha256: string }[] } };
}
