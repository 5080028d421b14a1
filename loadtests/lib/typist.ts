import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { danishSentences, mulberry32 } from './danishText.ts';

import { isFinalClose } from '../../src/protocol/closeCodes.ts';
import { MessageType } from '../../src/protocol/messageTypes.ts';

const { sync: SYNC, awareness: AWARENESS, persisted: PERSISTED, control: CONTROL } = MessageType;
const STEP1 = 0,
  STEP2 = 1,
  UPDATE = 2;

export interface TypistOptions {
  wsUrl: string; // ws://host/ws/answer/<registrationId>
  cookie: string;
  seed: number;
  charsPerMinute: number; // average over bursts and pauses
  flushMs: number; // keystrokes coalesced per update, like an editor binding's debounce
}

export interface TypistStats {
  sent: number;
  acked: number;
  latencies: number[];
  reconnects: number;
  errors: number;
  closes: Record<string, number>;
}

/**
 * One simulated pupil: a Y.Doc with the `answer` fragment, typing in bursts and pauses at human speed over the
 * real y-websocket protocol, measuring send → persisted-ack for every update, reconnecting with backoff + jitter.
 */
export class Typist {
  readonly doc = new Y.Doc();
  readonly stats: TypistStats = { sent: 0, acked: 0, latencies: [], reconnects: 0, errors: 0, closes: {} };
  private ws: WebSocket | null = null;
  private synced = false;
  private sentOnSocket = 0;
  private sendTimes: number[] = [];
  private ackedOnSocket = 0;
  private readonly rnd: () => number;
  private readonly sentences: Generator<string>;
  private pendingText = '';
  private paragraph: Y.XmlText | null = null;
  private burstUntil = 0;
  private pauseUntil = 0;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private attempts = 0;
  /** Closed for good by the server (a final close code): hand-in, window closed… */
  finalClose: number | null = null;
  private reconnecting = false;

  constructor(private readonly o: TypistOptions) {
    this.rnd = mulberry32(o.seed);
    this.sentences = danishSentences(o.seed);
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === 'remote') return;
      this.send(update);
    });
  }

  connect(): void {
    const ws = new WebSocket(this.o.wsUrl, { headers: { cookie: this.o.cookie }, perMessageDeflate: false });
    this.ws = ws;
    this.synced = false;
    this.sentOnSocket = 0;
    this.ackedOnSocket = 0;
    this.sendTimes = [];
    ws.binaryType = 'arraybuffer';
    ws.on('message', (data: ArrayBuffer) => this.receive(new Uint8Array(data)));
    ws.on('error', () => {
      /* the close handler below counts and reconnects */
    });
    ws.on('close', (code) => {
      this.stats.closes[code] = (this.stats.closes[code] ?? 0) + 1;
      if (this.ws !== ws) return;
      const unacked = this.unacked;
      this.ws = null;
      if (isFinalClose(code)) {
        this.finalClose = code;
        return;
      }
      if (this.stopped && unacked === 0) return; // nothing left to deliver
      this.stats.reconnects++;
      this.reconnecting = true;
      const backoff = Math.min(10_000, 250 * 2 ** this.attempts++) * (0.5 + Math.random());
      setTimeout(() => {
        this.reconnecting = false;
        this.connect();
      }, backoff);
    });
  }

  /** Start typing (after the socket is synced). */
  startTyping(): void {
    const tick = () => {
      if (this.stopped) return;
      this.type(Date.now());
      this.timer = setTimeout(tick, this.o.flushMs * (0.8 + 0.4 * this.rnd()));
    };
    this.timer = setTimeout(tick, this.rnd() * this.o.flushMs);
  }

  stopTyping(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  close(): void {
    this.stopTyping();
    this.ws?.close();
  }

  get unacked(): number {
    return this.sentOnSocket - this.ackedOnSocket;
  }
  /** Nothing of this pupil's is in flight: all acknowledged, or closed for good by the server. */
  get settled(): boolean {
    return this.finalClose !== null || (!this.reconnecting && this.unacked === 0 && (this.connected || this.ws === null));
  }
  get connected(): boolean {
    return this.ws?.readyState === WebSocket.OPEN && this.synced;
  }

  /** Bursts of 5–20 s at 1.8× the average speed, pauses in between: ~charsPerMinute overall. */
  private type(now: number): void {
    if (!this.connected) return;
    if (now < this.pauseUntil) return;
    if (now >= this.burstUntil) {
      if (this.burstUntil) {
        this.pauseUntil = now + 2_000 + this.rnd() * 10_000;
        this.burstUntil = 0;
        return;
      }
      this.burstUntil = now + 5_000 + this.rnd() * 15_000;
    }
    const perTick = (this.o.charsPerMinute / 60) * 1.8 * (this.o.flushMs / 1000);
    let n = Math.floor(perTick) + (this.rnd() < perTick % 1 ? 1 : 0);
    if (!n) return;
    this.doc.transact(() => {
      const fragment = this.doc.getXmlFragment('answer');
      while (n > 0) {
        if (!this.pendingText) {
          this.pendingText = this.sentences.next().value as string;
          if (!this.paragraph || this.rnd() < 0.15) {
            const p = new Y.XmlElement('paragraph');
            this.paragraph = new Y.XmlText();
            p.insert(0, [this.paragraph]);
            fragment.push([p]);
          }
        }
        const chunk = this.pendingText.slice(0, n);
        this.pendingText = this.pendingText.slice(chunk.length);
        this.paragraph!.insert(this.paragraph!.length, chunk);
        n -= chunk.length;
      }
    });
  }

  private send(update: Uint8Array, sub = UPDATE): void {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN || (!this.synced && sub === UPDATE)) return; // sent with step 2 on (re)connect
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, SYNC);
    encoding.writeVarUint(e, sub);
    encoding.writeVarUint8Array(e, update);
    this.ws.send(encoding.toUint8Array(e));
    this.sentOnSocket++;
    this.sendTimes.push(performance.now());
    if (sub === UPDATE) this.stats.sent++;
  }

  private receive(msg: Uint8Array): void {
    const d = decoding.createDecoder(msg);
    switch (decoding.readVarUint(d)) {
      case SYNC: {
        const sub = decoding.readVarUint(d);
        const payload = decoding.readVarUint8Array(d);
        if (sub === STEP1) {
          // The server's state vector: answer with what it lacks (everything typed while disconnected).
          this.send(Y.encodeStateAsUpdate(this.doc, payload), STEP2);
          this.synced = true;
          this.attempts = 0;
        } else if (sub === STEP2 || sub === UPDATE) {
          Y.applyUpdate(this.doc, payload, 'remote');
        }
        return;
      }
      case PERSISTED: {
        decoding.readVarUint8Array(d);
        decoding.readVarUint(d);
        const durable = decoding.readVarUint(d);
        const now = performance.now();
        for (let i = this.ackedOnSocket; i < durable && i < this.sendTimes.length; i++) {
          this.stats.latencies.push(now - this.sendTimes[i]);
          this.stats.acked++;
        }
        this.ackedOnSocket = Math.max(this.ackedOnSocket, durable);
        return;
      }
      case AWARENESS:
      case CONTROL:
        return;
      default:
        this.stats.errors++;
    }
  }
}
