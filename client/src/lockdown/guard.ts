import type { LockdownEventType } from '../../../src/protocol/lockdownEvents.ts';
import { api } from '../shell/api.ts';
import { h } from '../shell/dom.ts';
import { tr } from '../shell/i18n.ts';

export interface GuardOptions {
  registrationId: number;
  /** 'browser_fullscreen': writing needs fullscreen; 'browser_monitored' and 'seb_required': report only. */
  profile: string;
  editorRoot: HTMLElement;
  /** Called when the guard stops (or allows again) writing, e.g. while not in fullscreen. */
  onBlockedChange(blocked: boolean): void;
}

const normalise = (s: string) => s.replace(/\s+/g, ' ').trim();

/**
 * In-browser exam policy (docs/rules.md §7) for sittings that allow an ordinary browser. What the browser lets a page
 * block is blocked; everything is reported to the invigilator at once (batched per 250 ms, kept and resent
 * if the network is away). Paste works for text copied inside the exam; text from outside is refused.
 */
export function startLockdownGuard(o: GuardOptions): () => void {
  const queue: { type: LockdownEventType; at: string; durationMs?: number }[] = [];
  const copied = new Set<string>();
  const since: Partial<Record<LockdownEventType, number>> = {};
  let flushTimer: number | null = null;
  const cleanups: (() => void)[] = [];
  const on = <E extends Event>(target: EventTarget, type: string, fn: (e: E) => void, capture = true) => {
    const listener = fn as EventListener;
    target.addEventListener(type, listener, capture);
    cleanups.push(() => target.removeEventListener(type, listener, capture));
  };

  const flush = async () => {
    flushTimer = null;
    if (!queue.length) return;
    const batch = queue.splice(0, 50);
    try {
      await api('/api/lockdown/events', { json: { registrationId: o.registrationId, events: batch } });
    } catch {
      queue.unshift(...batch); // offline or server busy: keep them and try again
      flushTimer = window.setTimeout(() => void flush(), 3000);
      return;
    }
    if (queue.length) schedule();
  };
  const schedule = () => {
    if (flushTimer === null) flushTimer = window.setTimeout(() => void flush(), 250);
  };
  const report = (type: LockdownEventType, durationMs?: number) => {
    queue.push({ type, at: new Date().toISOString(), durationMs });
    schedule();
  };
  /** An episode (out of fullscreen, away from the window): reported when it starts, and again with its length. */
  const begin = (type: LockdownEventType) => {
    if (since[type] === undefined) {
      since[type] = Date.now();
      report(type);
    }
  };
  const end = (type: LockdownEventType) => {
    const t = since[type];
    if (t !== undefined) {
      delete since[type];
      report(type, Date.now() - t);
    }
  };

  const enterFullscreen = () => {
    // Refused (e.g. not from a click the browser trusts): the overlay stays and the pupil can try again.
    document.documentElement.requestFullscreen?.().catch((err: unknown) => console.warn('fullscreen refused', err));
  };
  // Fullscreen is required to write under the fullscreen profile.
  const needsFullscreen = o.profile === 'browser_fullscreen';
  const overlay = h(
    'div',
    { class: 'lockdown-overlay', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'lockdown-title', hidden: true },
    h(
      'div',
      { class: 'card' },
      h('h2', { id: 'lockdown-title' }, tr('Prøven kræver fuld skærm', 'The exam requires fullscreen')),
      h(
        'p',
        {},
        tr(
          'Du kan skrive, når prøven vises i fuld skærm. Den tilsynsførende kan se, når du forlader fuld skærm.',
          'You can write once the exam is shown in fullscreen. The invigilator can see when you leave fullscreen.',
        ),
      ),
      h('button', { type: 'button', class: 'primary', id: 'enter-fullscreen', onclick: enterFullscreen }, tr('Gå i fuld skærm', 'Enter fullscreen')),
    ),
  );
  document.body.append(overlay);
  cleanups.push(() => overlay.remove());
  const checkFullscreen = () => {
    if (!needsFullscreen) return;
    const inFull = document.fullscreenElement !== null;
    overlay.hidden = inFull;
    o.onBlockedChange(!inFull);
    if (inFull) end('left_fullscreen');
    else if (startedFull) begin('left_fullscreen');
  };
  let startedFull = false;
  on(
    document,
    'fullscreenchange',
    () => {
      if (document.fullscreenElement) startedFull = true;
      checkFullscreen();
    },
    false,
  );
  checkFullscreen();

  on(window, 'blur', () => begin('focus_lost'), false);
  on(window, 'focus', () => end('focus_lost'), false);
  on(document, 'visibilitychange', () => (document.visibilityState === 'hidden' ? begin('visibility_hidden') : end('visibility_hidden')), false);

  // Remember what the pupil copies or cuts inside the answer: pasting that back is their own text.
  const remember = () => {
    const sel = document.getSelection();
    if (sel && sel.rangeCount && o.editorRoot.contains(sel.anchorNode)) copied.add(normalise(sel.toString()));
  };
  on(document, 'copy', remember);
  on(document, 'cut', remember);
  on(o.editorRoot, 'paste', (e: ClipboardEvent) => {
    const text = normalise(e.clipboardData?.getData('text/plain') ?? '');
    if (text === '' || copied.has(text)) return;
    e.preventDefault();
    e.stopImmediatePropagation();
    report('paste_blocked');
  });
  on(o.editorRoot, 'drop', (e: DragEvent) => {
    // Dropped files (no text) become attachments (client/src/candidate/attachments/), never text in the answer.
    const filesOnly = !!e.dataTransfer?.files.length && !e.dataTransfer.types.includes('text/plain');
    if (e.dataTransfer && !filesOnly && !copied.has(normalise(e.dataTransfer.getData('text/plain')))) {
      e.preventDefault();
      e.stopImmediatePropagation();
      report('paste_blocked');
    }
  });

  on(window, 'keydown', (e: KeyboardEvent) => {
    const mod = e.ctrlKey || e.metaKey;
    const k = e.key.toLowerCase();
    if (mod && k === 'p') {
      e.preventDefault();
      report('print_blocked');
    } else if (e.key === 'F12' || (mod && e.shiftKey && ['i', 'j', 'c'].includes(k)) || (e.metaKey && e.altKey && ['i', 'j', 'c'].includes(k))) {
      e.preventDefault();
      report('devtools_blocked');
    }
  });
  on(window, 'beforeprint', () => report('print_blocked'), false);
  on(document, 'contextmenu', (e: MouseEvent) => {
    e.preventDefault();
    report('context_menu_blocked');
  });

  return () => {
    for (const c of cleanups) c();
    if (flushTimer !== null) clearTimeout(flushTimer);
    void flush();
  };
}
