import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';

import type { Control } from './control.ts';
import { MessageType } from './messageTypes.ts';

/** Encoders and decoders of the answer socket's messages (docs/protocol.md). */
export function encodeSyncStep1(doc: Y.Doc): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.sync);
  syncProtocol.writeSyncStep1(e, doc);
  return encoding.toUint8Array(e);
}

export function encodeSyncStep2(doc: Y.Doc, clientStateVector?: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.sync);
  syncProtocol.writeSyncStep2(e, doc, clientStateVector);
  return encoding.toUint8Array(e);
}

export function encodeUpdate(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.sync);
  syncProtocol.writeUpdate(e, update);
  return encoding.toUint8Array(e);
}

export function encodeAwareness(awareness: awarenessProtocol.Awareness, clients: number[]): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.awareness);
  encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(awareness, clients));
  return encoding.toUint8Array(e);
}

/**
 * `persisted`: [100][state vector of the durable document][server epoch ms][count of this connection's
 * document-changing messages (sync step 2 + update) that are durable]. The count is what lets a client
 * trust "Gemt" even for a pure deletion, which does not move the state vector.
 */
export function encodePersisted(durableStateVector: Uint8Array, serverEpochMs: number, durableMessages: number): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.persisted);
  encoding.writeVarUint8Array(e, durableStateVector);
  encoding.writeVarUint(e, serverEpochMs);
  encoding.writeVarUint(e, durableMessages);
  return encoding.toUint8Array(e);
}

export function decodePersisted(decoder: decoding.Decoder): { stateVector: Map<number, number>; serverEpochMs: number; durableMessages: number } {
  const stateVector = Y.decodeStateVector(decoding.readVarUint8Array(decoder));
  const serverEpochMs = decoding.readVarUint(decoder);
  const durableMessages = decoding.hasContent(decoder) ? decoding.readVarUint(decoder) : 0;
  return { stateVector, serverEpochMs, durableMessages };
}

export function encodeControl(control: Control): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.control);
  encoding.writeVarString(e, JSON.stringify(control));
  return encoding.toUint8Array(e);
}

/** Encodes a state vector Map the way Y.encodeStateVector does. */
export function encodeStateVectorMap(sv: Map<number, number>): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, sv.size);
  for (const [client, clock] of [...sv.entries()].sort((a, b) => b[0] - a[0])) {
    encoding.writeVarUint(e, client);
    encoding.writeVarUint(e, clock);
  }
  return encoding.toUint8Array(e);
}
