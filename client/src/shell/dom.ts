/** A tiny element builder: h('button', { class: 'x', onclick }, 'Tekst'). */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Record<string, unknown> = {},
  ...children: (Node | string | null | undefined | false)[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v as EventListener);
    else if (k === 'class') el.className = String(v);
    else if (k in el && typeof v !== 'string') (el as unknown as Record<string, unknown>)[k] = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

/** A polite live region: screen readers announce what is put here. */
export function announce(text: string): void {
  const region = document.getElementById('announcer');
  if (region) region.textContent = text;
}

/**
 * An event listener that runs an async handler. The handler shows its own errors to the user; anything it
 * let through is logged rather than lost as an unhandled rejection.
 */
export const asyncListener =
  <E extends Event>(handler: (e: E) => Promise<void>) =>
  (e: E): void => {
    handler(e).catch((err: unknown) => console.warn('an event handler failed', err));
  };
