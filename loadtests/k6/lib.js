// Helpers shared by the k6 scenarios: lib0 varUint encoding of y-websocket messages, by hand (k6 has no npm).
import encoding from 'k6/encoding';

// The wire contract, generated from src/protocol by `npm run protocol:json` (a unit test keeps it current).
export const protocol = JSON.parse(open('./protocol.json'));

export function varUint(n) {
  const out = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}

export function readVarUint(bytes, pos) {
  let n = 0,
    mult = 1,
    b;
  do {
    b = bytes[pos++];
    n += (b & 0x7f) * mult;
    mult *= 128;
  } while (b >= 0x80);
  return [n, pos];
}

/** [0 sync][sub][varUint8Array payload] */
export function syncMessage(sub, payload) {
  return new Uint8Array([protocol.messageType.sync, sub, ...varUint(payload.length), ...payload]).buffer;
}

export const b64 = (s) => new Uint8Array(encoding.b64decode(s));

/** The durable-message count of a `persisted` message, or null for other messages. */
export function persistedCount(buf) {
  const bytes = new Uint8Array(buf);
  let [type, pos] = readVarUint(bytes, 0);
  if (type !== protocol.messageType.persisted) return null;
  let len;
  [len, pos] = readVarUint(bytes, pos);
  pos += len; // state vector
  let _t;
  [_t, pos] = readVarUint(bytes, pos); // server time
  const [count] = readVarUint(bytes, pos);
  return count;
}

export function login(http, base, username, password) {
  return http.post(`${base}/api/auth/login`, JSON.stringify({ username, password }), { headers: { 'content-type': 'application/json' }, timeout: '300s' });
}
