import type { Liveness } from './liveness.ts';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import type { WebSocket } from 'ws';
import { AnswerClose as Close, type CloseCode } from '../protocol/closeCodes.ts';
import { ANSWER_LIMITS } from '../protocol/limits.ts';
import type { DocumentPeer, LiveDocument } from './liveDocument.ts';
import { encodeAwareness, encodeControl, encodePersisted, encodeSyncStep2 } from '../protocol/codec.ts';
import { MessageType } from '../protocol/messageTypes.ts';
import type { Control } from '../protocol/control.ts';

/** What every connection of a hub shares: the server clock, the grace for updates in flight (docs/rules.md §4.6). */
export interface ConnectionClock {
  now(): Date;
  readonly graceSeconds: number;
  /** How long acknowledgements due now wait, gathered (ackPacing.ts: admissions first in a start storm); unset: none. */
  ackDelayMs?(): number;
}

/**
 * One device's websocket for one answer: y-protocols sync + awareness, plus the persisted acknowledgements.
 * Counts its document-changing messages so the client can tell exactly when all of them are durable.
 */
export class AnswerConnection implements DocumentPeer, Liveness {
  heardAt = performance.now();
  pingedAt: number | null = null;
  replaced = false;
  closed = false;
  /** Document-changing messages (sync step 2 + update) received, and how many of them are durable. */
  private received = 0;
  private durableCount = 0;
  private inFlight = 0;
  private noopSeq = 0;
  private readonly awarenessClients = new Set<number>();

  constructor(
    readonly id: string,
    readonly ws: WebSocket,
    readonly doc: LiveDocument,
    private readonly clock: ConnectionClock,
  ) {}

  send(message: Uint8Array): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(message);
  }

  sendControl(control: Control): void {
    this.send(encodeControl(control));
  }

  close(c: CloseCode): void {
    if (this.closed) return;
    this.closed = true;
    this.ws.close(c.code, c.reason);
  }

  /** Sync step 1 from the server, then everyone's awareness: the standard y-websocket opening. */
  start(): void {
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, MessageType.sync);
    syncProtocol.writeSyncStep1(e, this.doc.ydoc);
    this.send(encoding.toUint8Array(e));
    const states = [...this.doc.awareness.getStates().keys()];
    if (states.length) this.send(encodeAwareness(this.doc.awareness, states));
    this.sendAck();
  }

  /**
   * Sends what `fn` sends in one write: the opening frames (sync step 1, the acknowledgement, the window, replies to
   * early messages) are one system call instead of one each (writev was 18 % of a start storm's CPU).
   */
  corked(fn: () => void): void {
    const raw = (this.ws as unknown as { _socket?: { cork(): void; uncork(): void } })._socket;
    raw?.cork();
    try {
      fn();
    } finally {
      raw?.uncork();
    }
  }

  receive(data: Uint8Array): void {
    if (this.closed) return;
    if (data.byteLength > ANSWER_LIMITS.maxMessageBytes) return this.close(Close.tooLarge);
    try {
      const decoder = decoding.createDecoder(data);
      const type = decoding.readVarUint(decoder);
      switch (type) {
        case MessageType.sync:
          return this.receiveSync(decoder);
        case MessageType.awareness:
          return this.receiveAwareness(decoding.readVarUint8Array(decoder));
        case MessageType.queryAwareness:
          return this.send(encodeAwareness(this.doc.awareness, [...this.doc.awareness.getStates().keys()]));
        case MessageType.auth:
          return; // auth is the session cookie, checked at the upgrade
        default:
          return this.close(Close.malformed);
      }
    } catch {
      this.close(Close.malformed);
    }
  }

  private receiveSync(decoder: decoding.Decoder): void {
    const sub = decoding.readVarUint(decoder);
    if (sub === syncProtocol.messageYjsSyncStep1) {
      this.send(encodeSyncStep2(this.doc.ydoc, decoding.readVarUint8Array(decoder)));
      return;
    }
    if (sub !== syncProtocol.messageYjsSyncStep2 && sub !== syncProtocol.messageYjsUpdate) return this.close(Close.malformed);
    const update = decoding.readVarUint8Array(decoder);
    const seq = ++this.received;
    // An empty update (the client had nothing new) changes nothing: durable as soon as what came before is.
    if (update.byteLength <= 2) {
      this.noopSeq = seq;
      if (this.inFlight === 0) {
        this.durableCount = seq;
        this.ack();
      }
      return;
    }
    const admission = this.doc.admits(this.clock.now(), this.clock.graceSeconds);
    if (!admission.admit) {
      if (admission.notice) this.sendControl({ type: 'notice', ...admission.notice });
      return this.close(admission.close);
    }
    if (this.doc.sizeBytes + update.byteLength > ANSWER_LIMITS.maxDocumentBytes) return this.close(Close.tooLarge);
    let stored: Uint8Array;
    try {
      // Yjs reads every struct of an update before integrating any, so a malformed one throws here, untouched.
      stored = this.doc.apply(update, this);
    } catch {
      return this.close(Close.malformed);
    }
    this.inFlight++;
    // persist() never rejects: the persister retries a failed commit until it is durable (or the node dies,
    // and the client re-sends what it never saw acknowledged).
    void this.doc.persist(stored).then(() => {
      this.inFlight--;
      this.durableCount = Math.max(this.durableCount, this.inFlight === 0 ? Math.max(seq, this.noopSeq) : seq);
      this.ack();
    });
  }

  private receiveAwareness(update: Uint8Array): void {
    // Learn which awareness clients this socket speaks for, so they can be removed when it closes.
    const d = decoding.createDecoder(update);
    const n = decoding.readVarUint(d);
    for (let i = 0; i < n; i++) {
      this.awarenessClients.add(decoding.readVarUint(d));
      decoding.readVarUint(d);
      decoding.readVarString(d);
    }
    awarenessProtocol.applyAwarenessUpdate(this.doc.awareness, update, this);
    const relay = encoding.createEncoder();
    encoding.writeVarUint(relay, MessageType.awareness);
    encoding.writeVarUint8Array(relay, update);
    const msg = encoding.toUint8Array(relay);
    // Echoed to the sender too, as the reference server does: the client's 30 s "no message received"
    // watchdog then never drops a pupil who is reading rather than typing.
    for (const peer of this.doc.peers.values()) peer.send(msg);
  }

  /**
   * Sends `persisted` once per tick at most, however many commits landed in it. One immediate for every socket with
   * an acknowledgement due (a group commit completes hundreds at once), not one per socket. In a start storm the
   * first one due waits `ackDelayMs` instead, and every one due meanwhile goes with it (ackPacing.ts).
   */
  ack(): void {
    if (AnswerConnection.dueAcks.has(this)) return;
    AnswerConnection.dueAcks.add(this);
    if (AnswerConnection.cancelAckTick) return;
    const delay = this.clock.ackDelayMs?.() ?? 0;
    if (delay > 0) {
      const timer = setTimeout(AnswerConnection.sendDueAcks, delay);
      AnswerConnection.cancelAckTick = () => clearTimeout(timer);
    } else {
      const immediate = setImmediate(AnswerConnection.sendDueAcks);
      AnswerConnection.cancelAckTick = () => clearImmediate(immediate);
    }
  }

  /** Sends every acknowledgement due now, held or not: a graceful stop, before the sockets are closed. */
  static flushAcks(): void {
    AnswerConnection.cancelAckTick?.();
    AnswerConnection.sendDueAcks();
  }

  private static dueAcks = new Set<AnswerConnection>();
  private static cancelAckTick: (() => void) | null = null;
  private static sendDueAcks(): void {
    // Taken before sending, so a failure can never leave a socket marked due and its acknowledgements stuck.
    const due = AnswerConnection.dueAcks;
    AnswerConnection.dueAcks = new Set();
    AnswerConnection.cancelAckTick = null;
    for (const c of due) c.sendAck();
  }

  private sendAck(): void {
    this.send(encodePersisted(this.doc.durableStateVector(), this.clock.now().getTime(), this.durableCount));
  }

  forgetAwareness(): void {
    if (this.awarenessClients.size) awarenessProtocol.removeAwarenessStates(this.doc.awareness, [...this.awarenessClients], null);
  }
}
