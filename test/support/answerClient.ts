import * as decoding from 'lib0/decoding';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { decodePersisted } from '../../src/protocol/codec.ts';
import { MessageType } from '../../src/protocol/messageTypes.ts';
import type { Control } from '../../src/protocol/control.ts';
import { until } from './poll.ts';

/**
 * The stock y-websocket client in Node, as a pupil's browser uses it: cookie auth, the `persisted` and
 * `control` messages read, and a count of the document-changing messages it sent on each socket.
 */
export class AnswerClient {
  readonly doc: Y.Doc;
  readonly provider: WebsocketProvider;
  readonly controls: Control[] = [];
  closes: { code: number; reason: string }[] = [];
  durableMessages = 0;
  sentChanges = 0;
  lastPersistedAt = 0;

  /** `o.device`: the device id a browser sends (`?device=`); without it the client is the anonymous device. */
  constructor(serverUrl: string, registrationId: number, cookie: string, doc = new Y.Doc(), o: { connect?: boolean; device?: string } = {}) {
    this.doc = doc;
    // Arrow functions keep this client in scope inside the socket class y-websocket instantiates.
    const socketOpened = () => {
      this.durableMessages = 0;
      this.sentChanges = 0;
    };
    const changeSent = () => {
      this.sentChanges++;
    };
    const socketClosed = (code: number, reason: Buffer) => {
      this.closes.push({ code, reason: reason.toString() });
    };
    class CookieSocket extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols, { headers: { cookie } });
        socketOpened();
        const send = this.send.bind(this);
        this.send = ((data: Uint8Array, ...rest: unknown[]) => {
          const d = decoding.createDecoder(new Uint8Array(data));
          if (decoding.readVarUint(d) === MessageType.sync && decoding.readVarUint(d) !== 0) changeSent();
          return (send as (...a: unknown[]) => void)(data, ...rest);
        }) as typeof this.send;
        this.on('close', socketClosed);
      }
    }
    this.provider = new WebsocketProvider(serverUrl.replace(/^http/, 'ws') + '/ws/answer', String(registrationId), doc, {
      WebSocketPolyfill: CookieSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
      connect: o.connect ?? true,
      maxBackoffTime: 300,
      params: o.device ? { device: o.device } : {},
    });
    this.provider.messageHandlers[MessageType.persisted] = (_e, decoder) => {
      const p = decodePersisted(decoder);
      this.durableMessages = p.durableMessages;
      this.lastPersistedAt = p.serverEpochMs;
    };
    this.provider.messageHandlers[MessageType.control] = (_e, decoder) => {
      this.controls.push(JSON.parse(decoding.readVarString(decoder)));
    };
  }

  get text(): Y.XmlFragment {
    return this.doc.getXmlFragment('answer');
  }

  /** Appends a paragraph the way a ProseMirror binding would. */
  type(text: string): void {
    const p = new Y.XmlElement('paragraph');
    p.insert(0, [new Y.XmlText(text)]);
    this.text.push([p]);
  }

  /** Every change this client sent on its current socket is committed in PostgreSQL. */
  get saved(): boolean {
    return this.provider.wsconnected && this.provider.synced && this.durableMessages >= this.sentChanges;
  }

  /** Waits for a condition of this client (the shared poll), printing the socket's close codes if it never holds. */
  async waitFor(predicate: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    await until(predicate, { what, timeoutMs, detail: () => ({ closes: this.closes }) });
  }

  waitSynced(timeoutMs?: number) {
    return this.waitFor(() => this.provider.synced, 'sync', timeoutMs);
  }
  waitSaved(timeoutMs?: number) {
    return this.waitFor(() => this.saved, 'persisted ack', timeoutMs);
  }
  waitClosed(code: number, timeoutMs?: number) {
    return this.waitFor(() => this.closes.some((c) => c.code === code), `close ${code}`, timeoutMs);
  }

  destroy(): void {
    this.provider.destroy();
  }
}
