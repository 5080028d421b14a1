import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { MessageType } from '../../src/protocol/messageTypes.ts';
import type { Typist } from './typist.ts';
import { SCRIPT_CLIENT_ID } from './typingScript.ts';
import type { Wire } from './wire.ts';

const STEP1 = 0;
const STEP2 = 1;
const EMPTY_UPDATE = Y.encodeStateAsUpdate(new Y.Doc());

/**
 * A second socket on a pupil's document that only listens: the relay a second device or a teacher's view would
 * get. The end clock of each relayed update says which of the writer's updates it carried, so merged or split
 * relays are matched exactly, without applying anything to a Y.Doc.
 */
export class Observer {
  closes = 0;
  private ws: WebSocket | null = null;

  constructor(
    private readonly wire: Wire,
    private readonly writer: Typist,
  ) {}

  connect(): void {
    const ws = new WebSocket(this.wire.url, { headers: this.wire.headers, perMessageDeflate: false });
    this.ws = ws;
    ws.binaryType = 'arraybuffer';
    ws.on('open', () => {
      for (const m of this.wire.opening()) ws.send(m);
    });
    ws.on('message', (data: ArrayBuffer) => this.receive(new Uint8Array(data)));
    ws.on('error', () => {
      /* counted on close */
    });
    ws.on('close', () => {
      this.closes++;
    });
  }

  close(): void {
    this.ws?.close();
  }

  private receive(raw: Uint8Array): void {
    const msg = this.wire.unwrap(raw);
    if (!msg) return;
    const d = decoding.createDecoder(msg);
    if (decoding.readVarUint(d) !== MessageType.sync) return;
    const sub = decoding.readVarUint(d);
    const payload = decoding.readVarUint8Array(d);
    if (sub === STEP1) {
      // An observer has nothing to add: an empty step 2 completes the handshake.
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, MessageType.sync);
      encoding.writeVarUint(e, STEP2);
      encoding.writeVarUint8Array(e, EMPTY_UPDATE);
      this.ws?.send(this.wire.wrap(encoding.toUint8Array(e)));
      return;
    }
    const end = Y.parseUpdateMeta(payload).to.get(SCRIPT_CLIENT_ID);
    if (end !== undefined) this.writer.relayedUpTo(end, performance.now());
  }
}
