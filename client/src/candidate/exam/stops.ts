import { AnswerClose } from '../../../../src/protocol/closeCodes.ts';
import type { Text } from './state.ts';

/** What the pupil reads after each final close of the answer socket (docs/protocol.md, close codes). */
const STOPPED = new Map<number, Text>([
  [
    AnswerClose.replaced.code,
    [
      'Du fortsætter på en anden enhed. Denne side kan ikke længere skrive – brug den anden enhed. Er det forkert, så ræk hånden op.',
      'You continue on another device. This page can no longer write – use the other device. If that is wrong, raise your hand.',
    ],
  ],
  [
    AnswerClose.deviceInUse.code,
    [
      'Din besvarelse er åben på en anden computer. Ræk hånden op: den tilsynsførende kan tillade, at du skifter til denne. Siden prøver igen af sig selv.',
      'Your answer is open on another computer. Raise your hand: the invigilator can allow you to switch to this one. This page tries again by itself.',
    ],
  ],
  [
    AnswerClose.windowClosed.code,
    [
      'Tiden er gået / afleveret. Der kan ikke skrives mere. Alt, serveren har bekræftet, er gemt.',
      'Time is up / handed in. No more writing. Everything the server confirmed is saved.',
    ],
  ],
  [
    AnswerClose.locked.code,
    [
      'Skrivningen er stoppet: din besvarelse er låst. Ræk hånden op og tilkald den tilsynsførende. Det, du har skrevet, er ikke tabt.',
      'Writing is stopped: your answer is locked. Raise your hand and call the invigilator. What you wrote is not lost.',
    ],
  ],
  [
    AnswerClose.unauthenticated.code,
    ['Du er blevet logget ud. Log ind igen – din tekst er gemt i browseren.', 'You have been signed out. Sign in again – your text is kept in the browser.'],
  ],
  [AnswerClose.forbidden.code, ['Denne besvarelse tilhører ikke dig. Log ud og ind igen.', 'This answer is not yours. Sign out and in again.']],
  [
    AnswerClose.unknownRegistration.code,
    ['Tilmeldingen findes ikke længere. Tilkald den tilsynsførende.', 'The registration no longer exists. Call the invigilator.'],
  ],
  [AnswerClose.tooLarge.code, ['Besvarelsen er blevet for stor. Tilkald den tilsynsførende.', 'The answer has become too large. Call the invigilator.']],
]);

const OTHER: Text = ['Serveren har stoppet skrivningen. Tilkald den tilsynsførende.', 'The server stopped writing. Call the invigilator.'];

export const stoppedText = (code: number): Text => STOPPED.get(code) ?? OTHER;

/**
 * Asks again and again until `check` says it is done, jittered so that a room does not poll in step.
 * A failed check (offline, server busy) counts as "not yet".
 */
export class Poller {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;

  until(check: () => Promise<boolean>, everyMs: number): void {
    this.cancel();
    const step = async () => {
      if (this.stopped) return;
      const done = await check().catch((err: unknown) => {
        console.warn('poll failed; trying again', err);
        return false;
      });
      if (!done && !this.stopped) this.schedule(step, everyMs);
    };
    this.schedule(step, everyMs);
  }

  stop(): void {
    this.stopped = true;
    this.cancel();
  }

  private schedule(step: () => Promise<void>, everyMs: number): void {
    this.timer = setTimeout(() => void step(), everyMs * (0.75 + Math.random() / 2));
  }

  cancel(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
