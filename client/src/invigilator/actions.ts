import { api, ApiError } from '../shell/api.ts';
import { announce, h } from '../shell/dom.ts';
import { formatTime, tr } from '../shell/i18n.ts';
import { openDialog } from '../shell/transition.ts';
import type { CandidateRow, RoomRef } from './types.ts';

type Field = 'minutes' | 'kind' | 'note';
type Result = (response: unknown) => Node | null;
interface AccessCode {
  code: string;
  expiresAt: string;
}

/** The one-time code is shown once (stored hashed): large, with its expiry, for the invigilator to hand over. */
const showCode: Result = (response) => {
  const r = response as AccessCode;
  return h(
    'div',
    { class: 'code' },
    h('p', {}, tr('Kode: ', 'Code: '), h('strong', { id: 'access-code' }, r.code)),
    h(
      'p',
      { class: 'muted' },
      tr(`Gælder én gang, til ${formatTime(r.expiresAt, false)}. Vises kun nu.`, `Valid once, until ${formatTime(r.expiresAt, false)}. Shown only now.`),
    ),
  );
};

const roomResult: Result = (response) => {
  const r = response as { candidates: number; skipped: unknown[] };
  return h(
    'p',
    {},
    tr(`Givet til ${r.candidates} elever.`, `Given to ${r.candidates} candidates.`),
    r.skipped.length
      ? tr(
          ` ${r.skipped.length} sprunget over (afleveret, fraværende eller over grænsen).`,
          ` ${r.skipped.length} skipped (handed in, absent or over the limit).`,
        )
      : '',
  );
};

/**
 * How each action is asked for, keyed by the names in a roster row's `allowedActions`. Whether it is offered
 * is the server's rule (src/invigilation/rules.ts), never decided here.
 */
interface ActionDef {
  name: string;
  label: [string, string];
  fields?: Field[];
  url?: (id: number) => string;
  fixed?: Record<string, string>;
  result?: Result;
}

const ACTIONS: ActionDef[] = [
  { name: 'extra-time', label: ['Giv ekstra tid', 'Give extra time'], fields: ['minutes'] },
  { name: 'pause', label: ['Sæt på pause', 'Pause'] },
  { name: 'resume', label: ['Genoptag', 'Resume'] },
  { name: 'access-code', label: ['Engangskode', 'One-time code'], result: showCode },
  { name: 'device-switch', label: ['Tillad skift af enhed', 'Allow device switch'] },
  // docs/rules.md §13: for a pupil whose read-aloud or word prediction tool fails in the rich editor.
  { name: 'simple-writing', label: ['Tillad enkel skrivning', 'Allow simple writing'] },
  { name: 'absent', label: ['Meld fraværende/syg', 'Mark absent/ill'], fields: ['kind'] },
  { name: 'present', label: ['Fortryd fravær', 'Undo absence'], url: (id) => `/api/invigilation/registrations/${id}/absent`, fixed: { kind: 'present' } },
  { name: 'reopen', label: ['Genåbn aflevering', 'Reopen hand-in'] },
  // Unlocking belongs to lockdown (docs/rules.md §7); the invigilator does it from here, where they see the lock.
  { name: 'unlock', label: ['Lås op', 'Unlock'], url: (id) => `/api/lockdown/registrations/${id}/unlock` },
];

/**
 * A dialog with the action's fields and the required reason (every action is audited with it, docs/rules.md §5).
 * Named by its heading; closing it gives focus back to `opener` and says what was done (docs/accessibility.md).
 */
function dialog(title: string, fields: Field[], submit: (values: Record<string, string>) => Promise<unknown>, opener: Element | null, result?: Result): void {
  const error = h('p', { class: 'error', role: 'alert' });
  const out = h('div', { role: 'status' });
  const inputs: Record<string, HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement> = {};
  const body: Node[] = [];
  if (fields.includes('minutes')) {
    inputs.minutes = h('input', { id: 'f-minutes', type: 'number', min: '1', max: '240', value: '10', required: true });
    body.push(h('label', { for: 'f-minutes' }, tr('Minutter', 'Minutes')), inputs.minutes);
  }
  if (fields.includes('kind')) {
    inputs.kind = h('select', { id: 'f-kind' }, h('option', { value: 'absent' }, tr('Fraværende', 'Absent')), h('option', { value: 'ill' }, tr('Syg', 'Ill')));
    body.push(h('label', { for: 'f-kind' }, tr('Årsag', 'Kind')), inputs.kind);
  }
  const textField = fields.includes('note') ? 'note' : 'reason';
  inputs[textField] = h('textarea', { id: 'f-reason', required: true, rows: 3 });
  body.push(
    h('label', { for: 'f-reason' }, fields.includes('note') ? tr('Notat', 'Note') : tr('Begrundelse (skrives i loggen)', 'Reason (goes into the log)')),
    inputs[textField],
  );
  const ok = h('button', { type: 'submit', class: 'primary', id: 'action-submit' }, tr('Udfør', 'Do it'));
  const cancel = h('button', { type: 'button' }, tr('Luk', 'Close'));
  const heading = h('h2', {}, title);
  const form = h('form', {}, heading, ...body, error, out, h('div', { class: 'actions' }, cancel, ok));
  const d = h('dialog', { class: 'action-dialog' }, form);
  cancel.addEventListener('click', () => d.close());
  d.addEventListener('close', () => d.remove());
  const send = async () => {
    error.textContent = '';
    ok.disabled = true;
    try {
      const values = Object.fromEntries(Object.entries(inputs).map(([k, el]) => [k, el.value]));
      const response = await submit(values);
      const shown = result?.(response);
      if (shown) {
        out.replaceChildren(shown);
        ok.remove();
        cancel.focus();
      } else {
        d.close();
        announce(tr(`Udført: ${title}`, `Done: ${title}`));
      }
    } catch (err) {
      error.textContent = err instanceof ApiError ? err.detail : String(err);
      ok.disabled = false;
    }
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void send();
  }); // send() shows its own errors
  openDialog(d, heading, opener);
  (inputs.minutes ?? inputs[textField]).focus();
}

/**
 * The actions the server allows for this pupil now, then the chosen one's dialog. Both give focus back to
 * `opener` (the row's "Handlinger" button) when they close.
 */
export function openActionDialog(c: CandidateRow, opener: HTMLElement): void {
  const offered = ACTIONS.filter((a) => c.allowedActions.includes(a.name));
  const list = h(
    'div',
    { class: 'action-list' },
    ...offered.map((a) =>
      h(
        'button',
        {
          type: 'button',
          'data-action': a.name,
          onclick: () => {
            chooser.close();
            const url = a.url?.(c.registrationId) ?? `/api/invigilation/registrations/${c.registrationId}/${a.name}`;
            dialog(
              `${tr(...a.label)} – ${c.examNumber} ${c.name}`,
              a.fields ?? [],
              (v) =>
                api(url, {
                  json: { reason: v.reason, ...(v.minutes ? { minutes: Number(v.minutes) } : {}), ...(v.kind ? { kind: v.kind } : {}), ...a.fixed },
                }),
              opener,
              a.result,
            );
          },
        },
        tr(...a.label),
      ),
    ),
  );
  const heading = h('h2', {}, tr(`Handlinger for ${c.examNumber} ${c.name}`, `Actions for ${c.examNumber} ${c.name}`));
  const chooser = h(
    'dialog',
    { class: 'action-dialog' },
    heading,
    offered.length ? list : h('p', {}, tr('Ingen handlinger er mulige lige nu.', 'No actions are possible right now.')),
    h('div', { class: 'actions' }, h('button', { type: 'button', onclick: () => chooser.close() }, tr('Luk', 'Close'))),
  );
  chooser.addEventListener('close', () => chooser.remove());
  openDialog(chooser, heading, opener);
}

/** The room-wide actions; `opener` (the room's button) gets focus back when the dialog closes. */
export function openRoomDialog(room: RoomRef, what: 'extra-time' | 'incident' | 'end', opener: Element | null): void {
  const base = `/api/invigilation/sittings/${room.sittingId}/rooms/${room.roomId}`;
  if (what === 'extra-time')
    dialog(
      tr('Ekstra tid til hele lokalet', 'Extra time for the whole room'),
      ['minutes'],
      (v) => api(`${base}/extra-time`, { json: { minutes: Number(v.minutes), reason: v.reason } }),
      opener,
      roomResult,
    );
  if (what === 'incident') dialog(tr('Hændelsesnotat', 'Incident note'), ['note'], (v) => api(`${base}/incidents`, { json: { note: v.note } }), opener);
  if (what === 'end')
    dialog(tr('Afslut prøven for hele lokalet', 'End the exam for the whole room'), [], (v) => api(`${base}/end`, { json: { reason: v.reason } }), opener);
}
