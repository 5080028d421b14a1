import type { Control } from '../../../../src/protocol/control.ts';
import { api } from '../../shell/api.ts';
import { serverNow } from '../../shell/clock.ts';
import { announce, h } from '../../shell/dom.ts';
import { tr } from '../../shell/i18n.ts';
import type { AnswerSync } from '../answerSync.ts';
import { readAloudControls } from '../paper.ts';
import { remainingText } from '../remaining.ts';
import type { ExamView } from '../types.ts';
import { packageAssetUrl } from './content.ts';
import { currentPart, mayGo, resumePosition, type DeliveryPart } from './delivery.ts';
import { renderItemNav } from './itemNav.ts';
import { loadItemTest, type LoadedItem } from './itemSource.ts';
import { renderItem } from './itemView.ts';
import { loadMemory, saveMemory } from './localMemory.ts';
import { renderOverview } from './overview.ts';
import { ItemResponses } from './responses.ts';
import './items.css';

/**
 * The item test in place of the essay editor (docs/rules.md, item tests): one item at a time, an overview,
 * parts in order each with its own end. Responses go into the same answer document as the essay.
 */
export function createItemTestPane(sync: AnswerSync, exam: ExamView) {
  const responses = new ItemResponses(sync.doc);
  const memory = loadMemory(exam.registrationId);
  const flags = new Set(memory.flags);
  const closed = new Set<string>();
  const endOf = new Map((exam.itemTest?.parts ?? []).map((p) => [p.part, Date.parse(p.endsAt)]));
  let parts: DeliveryPart[] = [];
  const items = new Map<string, LoadedItem>();
  let writable = true;
  let shownPart = -1;
  let position = 0;
  let view: { element: HTMLElement; destroy(): void } | null = null;

  const element = h('section', { class: 'item-test', 'aria-labelledby': 'item-title' });
  const progress = h('p', { class: 'item-progress', id: 'item-progress' });
  const partLine = h('p', { class: 'part-time', id: 'part-time', role: 'timer', 'aria-live': 'off' });
  const notice = h('p', { class: 'part-notice', id: 'part-notice', role: 'status', hidden: true });
  const main = h('div', { class: 'item-main' }, h('p', { role: 'status' }, tr('Henter opgaverne…', 'Loading the items…')));
  const aside = h('div', { class: 'item-aside' });
  element.append(partLine, notice, h('div', { class: 'item-columns' }, main, aside));

  const remember = () => saveMemory(exam.registrationId, { ...memory, flags: [...flags] });
  const answered = (id: string) => responses.answered(id, items.get(id)?.extended ?? []);
  const partIndex = () => currentPart(parts, serverNow(), closed, memory.movedOnTo);

  const showOverview = () => {
    const titles = new Map([...items].map(([id, v]) => [id, v.title]));
    const cur = partIndex();
    aside.replaceChildren(renderOverview({ parts, titles, current: cur, position, over: (i) => i < cur, answered, flags, go: (i) => go(i, true) }));
    const part = parts[cur];
    const done = part ? part.itemIds.filter(answered).length : 0;
    progress.textContent = part ? tr(`${done} af ${part.itemIds.length} besvaret`, `${done} of ${part.itemIds.length} answered`) : '';
  };

  /** Shows the current item of the open part; `focus` moves focus to its heading (after the pupil navigated). */
  const show = (focus: boolean) => {
    view?.destroy();
    view = null;
    const cur = partIndex();
    const part = parts[cur];
    if (!part) {
      main.replaceChildren(
        h('h2', { id: 'item-title', tabindex: '-1' }, tr('Alle dele er slut', 'All parts are over')),
        h(
          'p',
          {},
          tr(
            'Du kan ikke ændre flere svar. Aflever din besvarelse med knappen «Aflever…».',
            'You cannot change any more answers. Hand in with the “Hand in…” button.',
          ),
        ),
      );
      showOverview();
      return;
    }
    position = resumePosition(part, memory.at[part.identifier]);
    const id = part.itemIds[position];
    const entry = items.get(id);
    const title = h(
      'h2',
      { id: 'item-title', tabindex: '-1' },
      tr(`Opgave ${position + 1} af ${part.itemIds.length}`, `Item ${position + 1} of ${part.itemIds.length}`),
      h('span', { class: 'item-name' }, ` – ${entry?.title ?? id}`),
    );
    const flag = h('button', { type: 'button', id: 'flag-item', 'aria-pressed': String(flags.has(id)) }, tr('⚑ Markér til gennemsyn', '⚑ Flag for review'));
    flag.addEventListener('click', () => {
      if (flags.has(id)) flags.delete(id);
      else flags.add(id);
      flag.setAttribute('aria-pressed', String(flags.has(id)));
      remember();
      showOverview();
    });
    if (entry?.parsed) {
      view = renderItem(entry.parsed, {
        seed: String(exam.registrationId),
        responses,
        readOnly: !writable,
        spellCheck: exam.aids.spellCheck,
        assetUrl: (src) => packageAssetUrl(exam.sittingId, src),
      });
    }
    const body =
      view?.element ??
      h('p', { class: 'warn', role: 'alert' }, tr('Opgaven kan ikke vises. Tilkald den tilsynsførende.', 'The item cannot be shown. Call the invigilator.'));
    const mayRead = (exam.aids.textToSpeech || exam.accommodations.textToSpeech) && 'speechSynthesis' in window;
    main.replaceChildren(
      h(
        'article',
        { class: 'item card', 'aria-labelledby': 'item-title', 'data-item': id },
        title,
        h(
          'div',
          { class: 'item-tools' },
          flag,
          mayRead
            ? readAloudControls(
                () => body,
                () => body.textContent ?? '',
              )
            : null,
        ),
        body,
      ),
      renderItemNav({
        part,
        partIndex: cur,
        partCount: parts.length,
        position,
        go: (to) => go(to, true),
        moveOn: () => moveOn(cur + 1, tr(`Du er nu i del ${cur + 2}.`, `You are now in part ${cur + 2}.`)),
      }),
    );
    showOverview();
    if (focus) title.focus();
  };

  const go = (to: number, focus: boolean) => {
    const part = parts[partIndex()];
    if (!part || !mayGo(part, position, to)) return;
    memory.at[part.identifier] = to;
    remember();
    show(focus);
  };

  /** Moves to part `to` (the pupil chose to, or the previous one ended) with a visible and spoken notice. */
  const moveOn = (to: number, message: string) => {
    memory.movedOnTo = Math.max(memory.movedOnTo, to);
    remember();
    notice.hidden = false;
    notice.textContent = message;
    announce(message);
    shownPart = partIndex();
    show(true);
    showTime();
  };

  /** Every second: the open part's time, and the move to the next part when its end has passed. */
  const tick = () => {
    if (!parts.length) return;
    const cur = partIndex();
    if (cur !== shownPart) {
      const ended = shownPart >= 0 && shownPart < cur;
      const message =
        cur >= parts.length
          ? tr('Tiden for den sidste del er gået. Dine svar er gemt.', 'Time for the last part is up. Your answers are saved.')
          : tr(
              `Del ${shownPart + 1} er slut, og dens svar kan ikke længere ændres. Du er nu i del ${cur + 1}.`,
              `Part ${shownPart + 1} is over and its answers can no longer be changed. You are now in part ${cur + 1}.`,
            );
      if (ended) return moveOn(cur, message);
      shownPart = cur;
      show(false);
    }
    showTime();
  };

  /** The open part's own remaining time (the sitting's end for an untimed part). */
  const showTime = () => {
    const cur = partIndex();
    const part = parts[cur];
    if (!part) return void (partLine.textContent = '');
    const end = part.endsAt ?? Date.parse(exam.endsAt);
    const r = remainingText(end - serverNow(), false);
    const label = parts.length > 1 ? tr(`Del ${cur + 1} af ${parts.length}: `, `Part ${cur + 1} of ${parts.length}: `) : '';
    partLine.textContent = `${label}${tr(r.da, r.en)}`;
    partLine.classList.toggle('soon', r.soon);
  };
  const timer = window.setInterval(tick, 1000);
  let redraw = 0;
  const stopObserving = responses.observe((remote) => {
    cancelAnimationFrame(redraw);
    // Another device's or the browser copy's responses redraw the item; the pupil's own only the overview.
    redraw = requestAnimationFrame(() => (remote ? show(false) : showOverview()));
  });

  const load = async () => {
    const loaded = await loadItemTest(exam.sittingId, endOf);
    parts = loaded.parts;
    for (const [id, it] of loaded.items) items.set(id, it);
    shownPart = -1;
    tick();
  };

  return {
    element,
    /** The progress line in the exam bar, where the essay shows its word count. */
    words: progress,
    editorRoot: element,
    attach(): void {
      load().catch((err: unknown) => {
        console.warn('the items could not be loaded', err);
        main.replaceChildren(
          h('p', { class: 'warn', role: 'alert' }, tr('Opgaverne kunne ikke hentes. Ræk hånden op.', 'The items could not be loaded. Raise your hand.')),
        );
      });
    },
    showWords: () => showOverview(),
    setEditable(editable: boolean): void {
      if (editable === writable) return;
      writable = editable;
      if (parts.length) show(false);
    },
    /** partClosed freezes a part at once; a new window (extra time) may move the parts' ends. */
    control(c: Control): void {
      if (c.type === 'partClosed') {
        closed.add(c.part);
        tick();
      } else if (c.type === 'window') {
        api<ExamView>(`/api/exam/registrations/${exam.registrationId}`)
          .then((v) => {
            for (const p of v.itemTest?.parts ?? []) endOf.set(p.part, Date.parse(p.endsAt));
            for (const p of parts) p.endsAt = endOf.get(p.identifier) ?? null;
            tick();
          })
          .catch(() => undefined); // offline: the ends known so far stand, and the server decides anyway
      }
    },
    destroy(): void {
      clearInterval(timer);
      cancelAnimationFrame(redraw);
      stopObserving();
      view?.destroy();
    },
  };
}
