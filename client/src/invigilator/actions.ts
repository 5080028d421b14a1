import { api, ApiError } from '../shell/api.ts';
import { h } from '../shell/dom.ts';
import { formatTime, tr } from '../shell/i18n.ts';
import type { CandidateRow, RoomRef } from './types.ts';

type Field = 'minutes' | 'kind' | 'note';
interface ActionDef { path: string; label: [string, string]; fields?: Field[]; show?: (c: CandidateRow) => boolean; url?: (c: CandidateRow) => string; fixed?: Record<string, string> }

const ACTIONS: ActionDef[] = [
  { path: 'extra-time', label: ['Giv ekstra tid', 'Give extra time'], fields: ['minutes'], show: (c) => !['handed_in', 'absent', 'ill'].includes(c.state) },
  { path: 'pause', label: ['Sæt på pause', 'Pause'], show: (c) => c.state === 'writing' && !c.paused },
  { path: 'resume', label: ['Genoptag', 'Resume'], show: (c) => c.paused },
  { path: 'access-code', label: ['Engangskode', 'One-time code'] },
  { path: 'device-switch', label: ['Tillad skift af enhed', 'Allow device switch'] },
  { path: 'absent', label: ['Meld fraværende/syg', 'Mark absent/ill'], fields: ['kind'], show: (c) => !['handed_in', 'absent', 'ill'].includes(c.state) },
  { path: 'present', label: ['Fortryd fravær', 'Undo absence'], show: (c) => c.state === 'absent' || c.state === 'ill',
    url: (c) => `/api/invigilation/registrations/${c.registrationId}/absent`, fixed: { kind: 'present' } },
  { path: 'reopen', label: ['Genåbn aflevering', 'Reopen hand-in'], show: (c) => c.state === 'handed_in' },
  // Unlocking belongs to lockdown (docs/rules.md §7); the invigilator does it from here, where they see the lock.
  { path: 'unlock', label: ['Lås op', 'Unlock'], show: (c) => !!c.locked, url: (c) => `/api/lockdown/registrations/${c.registrationId}/unlock` },
];

/** A dialog with the action's fields and the required reason (every action is audited with it). */
function dialog(title: string, fields: Field[], submit: (values: Record<string, string>) => Promise<unknown>, result?: (r: any) => Node | null) {
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
  body.push(h('label', { for: 'f-reason' }, fields.includes('note') ? tr('Notat', 'Note') : tr('Begrundelse (skrives i loggen)', 'Reason (goes into the log)')), inputs[textField]);
  const ok = h('button', { type: 'submit', class: 'primary', id: 'action-submit' }, tr('Udfør', 'Do it'));
  const cancel = h('button', { type: 'button' }, tr('Luk', 'Close'));
  const form = h('form', {}, h('h2', {}, title), ...body, error, out, h('div', { class: 'actions' }, cancel, ok));
  const d = h('dialog', { class: 'action-dialog' }, form);
  cancel.addEventListener('click', () => d.close());
  d.addEventListener('close', () => d.remove());
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.textContent = '';
    ok.disabled = true;
    try {
      const values = Object.fromEntries(Object.entries(inputs).map(([k, el]) => [k, el.value]));
      const r = await submit(values);
      const shown = result?.(r);
      if (shown) { out.replaceChildren(shown); ok.remove(); } else d.close();
    } catch (err) {
      error.textContent = err instanceof ApiError ? err.detail : String(err);
      ok.disabled = false;
    }
  });
  document.body.append(d);
  d.showModal();
  (inputs.minutes ?? inputs[textField]).focus();
}

/** The one-time code is shown once (stored hashed): large, with its expiry, for the invigilator to hand over. */
const showCode = (r: { code: string; expiresAt: string }) => h('div', { class: 'code' },
  h('p', {}, tr('Kode: ', 'Code: '), h('strong', { id: 'access-code' }, r.code)),
  h('p', { class: 'muted' }, tr(`Gælder én gang, til ${formatTime(r.expiresAt, false)}. Vises kun nu.`, `Valid once, until ${formatTime(r.expiresAt, false)}. Shown only now.`)));

const roomResult = (r: { candidates: number; skipped: unknown[] }) => h('p', {},
  tr(`Givet til ${r.candidates} elever.`, `Given to ${r.candidates} candidates.`),
  r.skipped.length ? tr(` ${r.skipped.length} sprunget over (afleveret, fraværende eller over grænsen).`, ` ${r.skipped.length} skipped (handed in, absent or over the limit).`) : '');

export function openActionDialog(room: RoomRef, c: CandidateRow): void {
  const list = h('div', { class: 'action-list' }, ...ACTIONS.filter((a) => a.show?.(c) ?? true).map((a) =>
    h('button', { type: 'button', 'data-action': a.path, onclick: () => {
      chooser.close();
      const url = a.url?.(c) ?? `/api/invigilation/registrations/${c.registrationId}/${a.path}`;
      dialog(`${tr(...a.label)} – ${c.examNumber} ${c.name}`, a.fields ?? [], (v) => api(url, {
        json: { reason: v.reason, ...(v.minutes ? { minutes: Number(v.minutes) } : {}), ...(v.kind ? { kind: v.kind } : {}), ...a.fixed } }),
      a.path === 'access-code' ? showCode : undefined);
    } }, tr(...a.label))));
  const chooser = h('dialog', { class: 'action-dialog' }, h('h2', {}, `${c.examNumber} ${c.name}`), list,
    h('div', { class: 'actions' }, h('button', { type: 'button', onclick: () => chooser.close() }, tr('Luk', 'Close'))));
  chooser.addEventListener('close', () => chooser.remove());
  document.body.append(chooser);
  chooser.showModal();
  void room;
}

export function openRoomDialog(room: RoomRef, what: 'extra-time' | 'incident' | 'end'): void {
  const base = `/api/invigilation/sittings/${room.sittingId}/rooms/${room.roomId}`;
  if (what === 'extra-time') dialog(tr('Ekstra tid til hele lokalet', 'Extra time for the whole room'), ['minutes'], (v) => api(`${base}/extra-time`, { json: { minutes: Number(v.minutes), reason: v.reason } }), roomResult);
  if (what === 'incident') dialog(tr('Hændelsesnotat', 'Incident note'), ['note'], (v) => api(`${base}/incidents`, { json: { note: v.note } }));
  if (what === 'end') dialog(tr('Afslut prøven for hele lokalet', 'End the exam for the whole room'), [], (v) => api(`${base}/end`, { json: { reason: v.reason } }));
}
