import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import { mulberry32 } from './danishText.ts';
import type { TypingScript } from './typingScript.ts';
import { emptyStats, type TypistStats } from './typistStats.ts';
import type { Wire } from './wire.ts';
import { isFinalClose } from '../../src/protocol/closeCodes.ts';
import { ANSWER_LIMITS } from '../../src/protocol/limits.ts';
import { MessageType } from '../../src/protocol/messageTypes.ts';

const { sync: SYNC, awareness: AWARENESS, persisted: PERSISTED, control: CONTROL } = MessageType;
const [STEP1, STEP2] = [0, 1];

export interface TypistOptions {
  wire: Wire; // the target server's address and framing
  seed: number;
  flushMs: number; // keystrokes coalesced per update, like an editor binding's debounce
  script: TypingScript; // the precomputed updates this pupil sends, in order
  steadyFromMs?: number; // wall-clock ms from which updates count as steady typing (after the start storm)
}

/**
 * One simulated pupil, typing in bursts and pauses at human speed over the real y-websocket protocol: it sends
 * its script's precomputed updates (no Yjs work per keystroke), measures send → persisted-ack for every update,
 * and reconnects with backoff + jitter, answering the server's sync step 1 with exactly what it lacks. Like the
 * browser, it holds its edits back while ANSWER_LIMITS.maxUnackedMessages of its messages wait for acknowledgement.
 */
export class Typist {
  readonly stats: TypistStats = emptyStats();
  /** How many of the script's updates this pupil has typed (sent, or queued for the next sync while offline). */
  typed = 0;
  private ws: WebSocket | null = null;
  private synced = false;
  private sentOnSocket = 0;
  private sendTimes: number[] = [];
  /** Per message index on this socket: when each update a merged message carries was typed. */
  private mergedTimes = new Map<number, number[]>();
  /** Updates typed while waiting for an acknowledgement (flow control, as the browser does): from, and when. */
  private heldFrom: number | null = null;
  private heldTimes: number[] = [];
  private ackedOnSocket = 0;
  private readonly rnd: () => number;
  private burstUntil = 0;
  private pauseUntil = 0;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private attempts = 0;
  /** Closed for good by the server (a final close code): hand-in, window closed… */
  finalClose: number | null = null;
  private reconnecting = false;
  /** Sent updates not yet seen by the observer: [clock after the update, when it was sent]. */
  private unrelayed: [number, number][] = [];

  /** steadyFromMs on this thread's performance clock, which the send times use. */
  private readonly steadyFrom: number;

  constructor(private readonly o: TypistOptions) {
    this.rnd = mulberry32(o.seed);
    this.steadyFrom = o.steadyFromMs === undefined ? Infinity : performance.now() + (o.steadyFromMs - Date.now());
  }

  /** The text this pupil typed: what the server must have stored. */
  get text(): string {
    return this.o.script.textAfter(this.typed);
  }

  get script(): TypingScript {
    return this.o.script;
  }

  connect(): void {
    this.stats.firstConnectAt ||= Date.now();
    const ws = new WebSocket(this.o.wire.url, { headers: this.o.wire.headers, perMessageDeflate: false });
    this.ws = ws;
    ws.on('open', () => {
      for (const m of this.o.wire.opening()) ws.send(m);
    });
    this.synced = false;
    this.sentOnSocket = 0;
    this.ackedOnSocket = 0;
    this.sendTimes = [];
    this.mergedTimes.clear();
    // Held updates go in this socket's sync step 2, which carries everything the server lacks.
    this.heldFrom = null;
    this.heldTimes = [];
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
    const delivered = !this.o.wire.durableAcks || (this.unacked === 0 && this.heldFrom === null);
    return this.finalClose !== null || (!this.reconnecting && delivered && (this.connected || this.ws === null));
  }
  /** Why this pupil is not settled, for the generator's report (sent/acked on the current socket, socket state). */
  describe(): string {
    return `sentOnSocket ${this.sentOnSocket} ackedOnSocket ${this.ackedOnSocket} typed ${this.typed} readyState ${this.ws?.readyState ?? 'none'} synced ${this.synced} reconnecting ${this.reconnecting} reconnects ${this.stats.reconnects}`;
  }
  get connected(): boolean {
    return this.ws?.readyState === WebSocket.OPEN && this.synced;
  }

  /** Bursts of 5–20 s at 1.8× the average speed, pauses in between: the script's characters per update are sized for ~charsPerMinute overall. */
  private type(now: number): void {
    if (!this.connected || now < this.pauseUntil) return;
    if (now >= this.burstUntil) {
      if (this.burstUntil) {
        this.pauseUntil = now + 2_000 + this.rnd() * 10_000;
        this.burstUntil = 0;
        return;
      }
      this.burstUntil = now + 5_000 + this.rnd() * 15_000;
    }
    this.o.script.ensure(this.typed + 1);
    if (this.o.wire.durableAcks && (this.heldFrom !== null || this.unacked >= ANSWER_LIMITS.maxUnackedMessages)) {
      this.heldFrom ??= this.typed;
      this.heldTimes.push(performance.now());
      this.typed++;
      this.stats.sent++;
      return void this.stats.held++;
    }
    this.unrelayed.push([this.o.script.ends[this.typed], performance.now()]);
    this.sendFrame(this.o.script.frames[this.typed++]);
  }

  /** An acknowledgement made room: the held updates go out as one message, timed from when each was typed. */
  private sendHeld(): void {
    if (this.heldFrom === null || !this.connected) return;
    this.mergedTimes.set(this.sentOnSocket, this.heldTimes);
    this.ws!.send(this.o.wire.wrap(this.o.script.frameOf(this.heldFrom, this.typed)));
    this.sentOnSocket++;
    this.sendTimes.push(this.heldTimes[0]);
    this.heldFrom = null;
    this.heldTimes = [];
  }

  /** The observer saw this client's updates up to `clock`: each one sent before is relayed now. */
  relayedUpTo(clock: number, now: number): void {
    let i = 0;
    while (i < this.unrelayed.length && this.unrelayed[i][0] <= clock) this.stats.relays.push(now - this.unrelayed[i++][1]);
    if (i) this.unrelayed.splice(0, i);
  }

  private sendFrame(frame: Uint8Array): void {
    this.ws!.send(this.o.wire.wrap(frame));
    this.sentOnSocket++;
    this.sendTimes.push(performance.now());
    this.stats.sent++;
  }

  /** Sync step 2: everything typed that the server's state vector lacks (all of it after a lost connection). */
  private sendStep2(stateVector: Uint8Array): void {
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, SYNC);
    encoding.writeVarUint(e, STEP2);
    encoding.writeVarUint8Array(e, this.o.script.missing(this.typed, stateVector));
    this.ws!.send(this.o.wire.wrap(encoding.toUint8Array(e)));
    this.sentOnSocket++;
    this.sendTimes.push(performance.now());
  }

  private receive(raw: Uint8Array): void {
    const msg = this.o.wire.unwrap(raw);
    if (!msg) return;
    const d = decoding.createDecoder(msg);
    switch (decoding.readVarUint(d)) {
      case SYNC: {
        const sub = decoding.readVarUint(d);
        const payload = decoding.readVarUint8Array(d);
        if (sub === STEP1) {
          // The server's state vector: answer with what it lacks (everything typed while disconnected).
          this.sendStep2(payload);
          this.synced = true;
          this.stats.firstSyncedAt ||= Date.now();
          this.attempts = 0;
        }
        // The server's step 2 and updates only echo this pupil's own typing: nothing to apply.
        return;
      }
      case PERSISTED: {
        decoding.readVarUint8Array(d);
        decoding.readVarUint(d);
        const durable = decoding.readVarUint(d);
        const now = performance.now();
        for (let i = this.ackedOnSocket; i < durable && i < this.sendTimes.length; i++) {
          for (const typedAt of this.mergedTimes.get(i) ?? [this.sendTimes[i]]) {
            this.stats.latencies.push(now - typedAt);
            if (typedAt >= this.steadyFrom) this.stats.steadyLatencies.push(now - typedAt);
            this.stats.acked++;
          }
          this.mergedTimes.delete(i);
        }
        this.ackedOnSocket = Math.max(this.ackedOnSocket, durable);
        if (this.unacked < ANSWER_LIMITS.maxUnackedMessages) this.sendHeld();
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
