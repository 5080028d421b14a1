import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/** Which server the generator drives: Prøvesal itself, or a peer measured on the same harness (issue: peers). */
export type Target = 'provesal' | 'y-websocket' | 'hocuspocus';

/**
 * How one target frames the y-protocols messages. The y-websocket reference server and Prøvesal speak them
 * bare on a socket per document; Hocuspocus multiplexes, so every message starts with the document's name, and
 * a socket must authenticate (any token passes in its default configuration) before it may sync.
 */
export interface Wire {
  url: string;
  headers: Record<string, string>;
  /** Whether the server sends Prøvesal's durable acknowledgement (`persisted`). */
  durableAcks: boolean;
  /** Messages to send right after the socket opens. */
  opening(): Uint8Array[];
  /** A y-protocols message as this target wants it on the wire. */
  wrap(message: Uint8Array): Uint8Array;
  /** The y-protocols message inside what arrived, or null for the target's own messages (auth, sync status…). */
  unwrap(message: Uint8Array): Uint8Array | null;
}

const HOCUSPOCUS_AUTH = 2;
const HOCUSPOCUS_SYNC = 0;
const AUTH_TOKEN = 0;

export function wireFor(target: Target, baseUrl: string, doc: { registrationId: number; cookie: string; device: string }): Wire {
  const ws = baseUrl.replace(/^http/, 'ws');
  if (target === 'provesal')
    return {
      url: `${ws}/ws/answer/${doc.registrationId}?device=${doc.device}`,
      headers: { cookie: doc.cookie },
      durableAcks: true,
      opening: () => [],
      wrap: (m) => m,
      unwrap: (m) => m,
    };
  const name = `pupil-${doc.registrationId}`;
  if (target === 'y-websocket') return { url: `${ws}/${name}`, headers: {}, durableAcks: false, opening: () => [], wrap: (m) => m, unwrap: (m) => m };
  const prefix = (() => {
    const e = encoding.createEncoder();
    encoding.writeVarString(e, name);
    return encoding.toUint8Array(e);
  })();
  const join = (m: Uint8Array) => {
    const out = new Uint8Array(prefix.length + m.length);
    out.set(prefix);
    out.set(m, prefix.length);
    return out;
  };
  return {
    url: ws,
    headers: {},
    durableAcks: false,
    opening: () => {
      const e = encoding.createEncoder();
      encoding.writeVarString(e, name);
      encoding.writeVarUint(e, HOCUSPOCUS_AUTH);
      encoding.writeVarUint(e, AUTH_TOKEN);
      encoding.writeVarString(e, 'bench');
      // Hocuspocus starts syncing when the client asks: an empty sync step 1 (state vector of an empty doc).
      const step1 = encoding.createEncoder();
      encoding.writeVarUint(step1, HOCUSPOCUS_SYNC);
      encoding.writeVarUint(step1, 0);
      encoding.writeVarUint8Array(step1, new Uint8Array([0]));
      return [encoding.toUint8Array(e), join(encoding.toUint8Array(step1))];
    },
    wrap: join,
    unwrap: (m) => {
      const d = decoding.createDecoder(m);
      decoding.readVarString(d);
      const type = decoding.peekVarUint(d);
      return type === HOCUSPOCUS_SYNC ? m.subarray(d.pos) : null;
    },
  };
}
