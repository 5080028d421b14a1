import * as decoding from 'lib0/decoding';
import { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';
import { decodePersisted } from '../../../src/protocol/codec.ts';
import type { Control } from '../../../src/protocol/control.ts';
import { MessageType } from '../../../src/protocol/messageTypes.ts';
import { reconnectPolicy } from '../shell/backoff.ts';
import { wsUrl } from '../shell/socket.ts';
import type { Ack } from './saveLedger.ts';

export interface ProviderHooks {
  /** A new socket is being opened. */
  socketOpened(): void;
  /** The socket sends a sync message of this sync type (0 step 1, 1 step 2, 2 update). */
  sentSync(syncType: number): void;
  persisted(ack: Ack): void;
  control(c: Control): void;
}

/**
 * The stock y-websocket provider on `/ws/answer/<registrationId>` (docs/protocol.md), taught Prøvesal's two
 * messages. Its socket counts the document-changing messages it sends, because the server's `persisted`
 * acknowledgement counts the same messages per connection. It does not connect by itself: the caller does.
 */
export function createAnswerProvider(registrationId: number, doc: Y.Doc, hooks: ProviderHooks): WebsocketProvider {
  class CountingSocket extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      hooks.socketOpened();
    }
    send(data: ArrayBufferLike | ArrayBufferView | Blob | string): void {
      if (data instanceof Uint8Array) {
        const d = decoding.createDecoder(data);
        if (decoding.readVarUint(d) === MessageType.sync) hooks.sentSync(decoding.readVarUint(d));
      }
      super.send(data as ArrayBufferView);
    }
  }
  const provider = new WebsocketProvider(wsUrl('/ws/answer'), String(registrationId), doc, {
    WebSocketPolyfill: CountingSocket as unknown as typeof WebSocket,
    connect: false,
    disableBc: true,
    maxBackoffTime: 60_000,
    // The provider's own (un-jittered) retry is switched off by AnswerSync; its stop decision is still the shared one.
    shouldReconnect: (event) => reconnectPolicy.shouldReconnect(event.code),
    params: { device: deviceId() },
  });
  provider.messageHandlers[MessageType.persisted] = (_encoder, decoder) => {
    const p = decodePersisted(decoder);
    hooks.persisted({ durableClock: p.stateVector.get(doc.clientID) ?? 0, serverEpochMs: p.serverEpochMs, durableMessages: p.durableMessages });
  };
  provider.messageHandlers[MessageType.control] = (_encoder, decoder) => hooks.control(JSON.parse(decoding.readVarString(decoder)) as Control);
  return provider;
}

/**
 * This browser's name for itself, kept across reloads: the server lets the same device straight back in and
 * asks the invigilator before another one takes over (docs/rules.md §4.5).
 */
export function deviceId(): string {
  const key = 'provesal.device';
  let id = localStorage.getItem(key);
  if (!id || !/^[A-Za-z0-9_-]{8,64}$/.test(id)) {
    id = crypto.randomUUID();
    localStorage.setItem(key, id);
  }
  return id;
}
