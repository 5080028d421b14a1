/** What the page may claim about the pupil's answer (docs/rules.md §4.4). */
export type SaveState =
  | { kind: 'saved'; at: number } // every change is durable in PostgreSQL (server time of the ack)
  | { kind: 'connecting' } // page just opened: the browser's copy is shown, the socket is coming up
  | { kind: 'saving'; since: number; lastAck: number } // changes sent, not yet acknowledged
  | { kind: 'offline'; since: number; lastAck: number } // no connection: changes are kept in the browser
  | { kind: 'stopped'; code: number }; // the server closed for good (handed in, replaced, locked…)

/** The server's `persisted` acknowledgement, reduced to what concerns this browser's own edits. */
export interface Ack {
  durableClock: number;
  serverEpochMs: number;
  durableMessages: number;
}

/**
 * Bookkeeping behind "Gemt": which of this socket's document-changing messages the server has acknowledged,
 * and how old the oldest unacknowledged edit is (for the 10-second warning). Ages are kept per sent message,
 * not "since the last moment all was saved", which a pupil typing steadily never reaches. Edits sent on an
 * earlier socket or dropped while offline are carried into the next socket's sync step 2, which contains them.
 */
export class SaveLedger {
  private sent = 0;
  private durableMessages = 0;
  private durableClock = 0;
  private lastAck = 0;
  private unacked: { seq: number; since: number }[] = [];
  private carried: number | null = null;
  private pendingSince: number | null = null;
  private flushingSince: number | null = null;

  /** This socket's document-changing messages sent and not yet acknowledged. */
  get inFlight(): number {
    return this.sent - this.durableMessages;
  }

  /** Server time of the last acknowledgement (0: none yet). */
  get lastAckAt(): number {
    return this.lastAck;
  }

  /** A new socket: the server counts its messages from zero, so this side does too. */
  newSocket(): void {
    this.sent = 0;
    this.durableMessages = 0;
    this.durableClock = 0;
    this.carry(this.unacked[0]?.since ?? null);
    this.unacked = [];
  }

  /** A local edit, held back to be merged with the next ones. */
  edited(at: number): void {
    this.pendingSince ??= at;
  }

  /** Runs `send` for the merged held-back edits; if the socket was down they wait for the next sync step 2. */
  flushing(send: () => void): void {
    this.flushingSince = this.pendingSince;
    this.pendingSince = null;
    send(); // sentSync(2) takes flushingSince when the message really goes out
    this.carry(this.flushingSince);
    this.flushingSince = null;
  }

  /** Called for each sync message a socket sends: step 2 (1) and updates (2) change the document and are counted. */
  sentSync(syncType: number): void {
    if (syncType === 0) return;
    this.sent++;
    const since = syncType === 1 ? this.carried : this.flushingSince;
    if (syncType === 1) this.carried = null;
    else this.flushingSince = null;
    if (since !== null) this.unacked.push({ seq: this.sent, since });
  }

  persisted(ack: Ack): void {
    this.durableClock = ack.durableClock;
    this.lastAck = ack.serverEpochMs;
    this.durableMessages = ack.durableMessages;
    while (this.unacked.length && this.unacked[0].seq <= this.durableMessages) this.unacked.shift();
  }

  /**
   * True when the durable state vector covers this client's clock and the durable count covers every
   * message sent (a pure deletion does not move the state vector, the count still catches it).
   */
  covers(localClock: number): boolean {
    return this.durableClock >= localClock && this.durableMessages >= this.sent;
  }

  /** Everything is acknowledged: no edit is waiting any more. */
  settle(): void {
    this.carried = null;
    this.unacked = [];
  }

  /** When the oldest edit the server has not acknowledged was made (null: none known). */
  oldestUnacked(): number | null {
    const times = [this.pendingSince, this.carried, this.unacked[0]?.since ?? null].filter((t): t is number => t !== null);
    return times.length ? Math.min(...times) : null;
  }

  private carry(since: number | null): void {
    if (since !== null) this.carried = Math.min(this.carried ?? since, since);
  }
}
