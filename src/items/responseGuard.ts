import * as Y from 'yjs';
import type { RegistrationContext } from '../exam/queries.ts';
import { windowOf } from '../exam/examView.ts';
import type { Control } from '../protocol/control.ts';
import { extendedTextFragment, RESPONSES_MAP, type PartEnd } from '../protocol/itemResponses.ts';
import { closedParts, nextClose, partEnds } from './partClock.ts';
import { refuseResponse, type ResponseRefusal } from './responseRules.ts';
import type { ItemTestReader } from './itemTestReader.ts';
import type { TestPlan } from './testPlan.ts';

/** What the answer socket asks of an item test's guard (src/sync/liveDocument.ts calls it around every update). */
export interface GuardDeps {
  doc: Y.Doc;
  plan: TestPlan;
  /** The registration as last read: extra time and pauses move the parts' ends. */
  context: () => RegistrationContext;
  now: () => Date;
  graceSeconds: number;
  /** Tells every device of this answer (a part closed while they were connected). */
  broadcast: (c: Control) => void;
}

/** The server's own transactions: never reviewed, never reverted. */
const SERVER = Symbol('item-test-guard');

const NOTICES: Record<ResponseRefusal | 'closed', (what: string) => { da: string; en: string }> = {
  'unknown-item': (id) => ({
    da: `Svaret til "${id}" hører ikke til en opgave i prøven og blev ikke gemt.`,
    en: `The response to "${id}" does not belong to an item of this test and was not saved.`,
  }),
  'wrong-type': (id) => ({
    da: `Svaret til opgave "${id}" har ikke den form, opgaven kræver, og blev ikke gemt.`,
    en: `The response to item "${id}" is not in the form the item requires and was not saved.`,
  }),
  closed: (part) => ({
    da: `Tiden for delprøven "${part}" er gået. Ændringer i den gemmes ikke.`,
    en: `The time for part "${part}" is up. Changes to it are not saved.`,
  }),
};

/**
 * Keeps an item test's answer document to the rules (docs/rules.md §14) without ever dropping a pupil's update: Yjs
 * clients wait forever for a missing clock, so the update is applied and what it may not change is written back in a
 * server transaction, which goes to every device and is stored together with the update. Responses of unknown
 * items or of the wrong form are reverted to the last good value; a closed part's responses to the value at its close,
 * and its extended texts by undoing every pupil change since the close (a Y.UndoManager per closed part).
 */
export class ResponseGuard {
  private readonly responses: Y.Map<unknown>;
  private readonly lastGood = new Map<string, unknown>();
  private readonly changed = new Set<string>();
  private readonly frozen = new Map<string, Y.UndoManager>();
  private readonly announced: Set<string>;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly d: GuardDeps) {
    this.responses = d.doc.getMap(RESPONSES_MAP);
    for (const [key, value] of this.responses.entries()) this.lastGood.set(key, value);
    this.responses.observe((event, tr) => {
      if (tr.origin === SERVER) return;
      for (const key of event.keysChanged) this.changed.add(key);
    });
    this.announced = this.closedNow();
    this.schedule();
  }

  ends(): PartEnd[] {
    const r = this.d.context();
    return partEnds(
      this.d.plan.parts.map((p) => ({ identifier: p.identifier, navigationMode: p.navigationMode, maxTimeSeconds: p.maxTimeSeconds })),
      windowOf(r),
      this.d.now(),
    );
  }

  private closedNow(): Set<string> {
    return closedParts(this.ends(), this.d.now(), this.d.graceSeconds);
  }

  /** Before a pupil's update: closed parts' extended texts are watched for changes by this origin. */
  before(origin: object): void {
    const closed = this.closedNow();
    for (const [part, undo] of this.frozen) {
      // Extra time may reopen a part an invigilator's decision had closed too early.
      if (!closed.has(part)) {
        undo.destroy();
        this.frozen.delete(part);
      }
    }
    for (const part of closed) {
      if (!this.frozen.has(part)) this.frozen.set(part, this.watch(part));
      this.frozen.get(part)!.addTrackedOrigin(origin);
    }
  }

  /** After a pupil's update: reverts what it may not change; returns the correction (or null) and what to tell the sender. */
  after(): { correction: Uint8Array | null; controls: Control[] } {
    const closed = this.closedNow();
    const controls: Control[] = [];
    const closedTouched = new Set<string>();
    const corrections: Uint8Array[] = [];
    const capture = (update: Uint8Array) => corrections.push(update);
    this.d.doc.on('update', capture);
    try {
      this.d.doc.transact(() => {
        for (const key of this.changed) {
          const value = this.responses.get(key);
          const part = this.d.plan.partOf.get(key);
          const refusal = part !== undefined && closed.has(part) ? 'closed' : refuseResponse(this.d.plan.items.get(key), value);
          if (refusal === null) {
            this.lastGood.set(key, value);
            continue;
          }
          this.restore(key);
          if (refusal === 'closed') closedTouched.add(part!);
          else controls.push({ type: 'notice', ...NOTICES[refusal](key) });
        }
      }, SERVER);
      for (const [part, undo] of this.frozen) {
        if (undo.undoStack.length === 0) continue;
        while (undo.undoStack.length) undo.undo();
        undo.clear();
        closedTouched.add(part);
      }
    } finally {
      this.d.doc.off('update', capture);
      this.changed.clear();
    }
    for (const part of closedTouched) controls.push({ type: 'notice', ...NOTICES.closed(part) }, { type: 'partClosed', part });
    return { correction: corrections.length ? Y.mergeUpdates(corrections) : null, controls };
  }

  /** For a device that just connected: the parts already closed, so it moves on at once. */
  opening(): Control[] {
    return [...this.closedNow()].map((part) => ({ type: 'partClosed', part }));
  }

  /** The registration changed (extra time, pause): the next close moves. */
  rescheduled(): void {
    this.schedule();
  }

  destroy(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const undo of this.frozen.values()) undo.destroy();
    this.frozen.clear();
  }

  private restore(key: string): void {
    const previous = this.lastGood.get(key);
    if (previous === undefined) this.responses.delete(key);
    else this.responses.set(key, previous);
  }

  private watch(part: string): Y.UndoManager {
    const fragments = (this.d.plan.parts.find((p) => p.identifier === part)?.items ?? []).flatMap((item) =>
      item.interactions
        .filter((i) => i.kind === 'extendedText')
        .map((i) => this.d.doc.getXmlFragment(extendedTextFragment(item.identifier, i.responseIdentifier))),
    );
    // No pupil origin yet: before() adds each sender; the server's own transactions are never tracked.
    return new Y.UndoManager(fragments.length ? fragments : [this.d.doc.getXmlFragment(`closed:${part}`)], { trackedOrigins: new Set(), captureTimeout: 0 });
  }

  /** Announces each part's close to the connected devices when it happens, on the server clock. */
  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const next = nextClose(this.ends(), this.d.now(), this.d.graceSeconds);
    if (!next) return;
    this.timer = setTimeout(
      () => {
        for (const part of this.closedNow()) {
          if (this.announced.has(part)) continue;
          this.announced.add(part);
          this.d.broadcast({ type: 'partClosed', part });
        }
        this.schedule();
      },
      Math.max(0, next.getTime() - this.d.now().getTime()) + 5,
    );
    this.timer.unref();
  }
}

/** The guard of one answer document, or null for an essay (a sitting without an item package). */
export async function guardFor(
  reader: Pick<ItemTestReader, 'open'>,
  doc: { ydoc: Y.Doc; context: RegistrationContext; broadcastControl(c: Control): void },
  clock: { now(): Date; graceSeconds: number },
): Promise<ResponseGuard | null> {
  const test = await reader.open(doc.context.sitting_id, clock.now().getTime() >= doc.context.starts_at.getTime());
  if (!test) return null;
  return new ResponseGuard({
    doc: doc.ydoc,
    plan: test.plan,
    context: () => doc.context,
    now: () => clock.now(),
    graceSeconds: clock.graceSeconds,
    broadcast: (c) => doc.broadcastControl(c),
  });
}
