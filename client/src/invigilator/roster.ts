import type { LockdownEventType, ServerLockdownEventType } from '../../../src/protocol/lockdownEvents.ts';
import { h } from '../shell/dom.ts';
import { formatTime, tr } from '../shell/i18n.ts';
import type { CandidateRow } from './types.ts';

type Text = [da: string, en: string];

const STATE: Record<string, Text> = {
  not_arrived: ['Ikke ankommet', 'Not arrived'],
  registered: ['Ikke ankommet', 'Not arrived'],
  lobby: ['Venter', 'Waiting'],
  writing: ['Skriver', 'Writing'],
  handed_in: ['Afleveret', 'Handed in'],
  absent: ['Fraværende', 'Absent'],
  ill: ['Syg', 'Ill'],
};

/** Every kind the guard or the server reports has a label (the Record makes a new kind a type error here). */
const LOCKDOWN: Record<LockdownEventType | ServerLockdownEventType, Text> = {
  left_fullscreen: ['forlod fuld skærm', 'left fullscreen'],
  focus_lost: ['mistede fokus', 'lost focus'],
  visibility_hidden: ['skiftede fane', 'switched tab'],
  paste_blocked: ['indsæt blokeret', 'paste blocked'],
  print_blocked: ['udskrift blokeret', 'print blocked'],
  devtools_blocked: ['udviklerværktøj blokeret', 'devtools blocked'],
  context_menu_blocked: ['højreklik blokeret', 'context menu blocked'],
  copy_blocked: ['kopiering blokeret', 'copy blocked'],
  seb_mismatch: ['SEB-kontrol fejlede', 'SEB check failed'],
};

const label = (table: Record<string, Text>, key: string): string => tr(...(table[key] ?? [key, key]));

/** A lockdown event kind in the invigilator's language. */
export const lockdownLabel = (type: string): string => label(LOCKDOWN, type);

export const ROSTER_COLUMNS: Text[] = [
  ['Prøvenr.', 'Exam no.'],
  ['Navn', 'Name'],
  ['Status', 'State'],
  ['Forbindelse', 'Connection'],
  ['Sidst gemt', 'Last saved'],
  ['Ord', 'Words'],
  ['Slutter', 'Ends'],
  ['Låsning', 'Lockdown'],
  ['', ''],
];

/** A pupil who has handed in, or is absent, may close the page: that is no alarm (docs/rules.md §5). */
export const isDone = (state: string): boolean => state === 'handed_in' || state === 'absent' || state === 'ill';

/** The cells that show a pupil's state (everything but the actions cell, which keeps its button across updates). */
function stateCells(c: CandidateRow): HTMLTableCellElement[] {
  const since = c.presenceSince ? formatTime(c.presenceSince) : '';
  const connection = c.connected
    ? h('span', { class: 'badge ok' }, tr('Forbundet', 'Connected'))
    : isDone(c.state) && c.presenceSince
      ? h('span', { class: 'badge muted' }, tr(`Gik ${since}`, `Left ${since}`))
      : c.presenceSince
        ? h('span', { class: 'badge bad' }, tr(`Afbrudt siden ${since}`, `Disconnected since ${since}`))
        : h('span', { class: 'badge muted' }, tr('Ikke set', 'Not seen'));
  const last = c.lockdownEvents[0];
  return [
    h('td', {}, c.examNumber),
    h('td', {}, c.name),
    h(
      'td',
      {},
      h('span', { class: `badge state-${c.state}` }, label(STATE, c.state)),
      c.paused ? h('span', { class: 'badge warn' }, tr('Pause', 'Paused')) : null,
      c.locked ? h('span', { class: 'badge bad', title: c.locked }, tr('Låst', 'Locked')) : null,
    ),
    h('td', {}, connection),
    h('td', { class: 'saved' }, c.lastSavedAt ? formatTime(c.lastSavedAt) : '–'),
    h('td', { class: 'words' }, String(c.words)),
    h('td', { class: 'ends' }, formatTime(c.endsAt, false), c.extraMinutes ? ` (+${c.extraMinutes})` : ''),
    h('td', {}, last ? `${lockdownLabel(last.type)} ${formatTime(last.at)}` : '–'),
  ];
}

/** A pupil who was writing and is gone is marked red (docs/rules.md §5: visible within 5 s). */
const rowClass = (c: CandidateRow) => (c.connected ? '' : c.presenceSince && c.state === 'writing' ? 'row-alert' : '');

/** One pupil's row. `onActions` is called with the row's registration id, so it always acts on the latest data. */
export function renderRow(c: CandidateRow, onActions: (registrationId: number, opener: HTMLElement) => void): HTMLTableRowElement {
  const button = h('button', { type: 'button', class: 'row-actions' }, tr('Handlinger', 'Actions'));
  button.addEventListener('click', () => onActions(c.registrationId, button));
  const row = h('tr', { 'data-registration': String(c.registrationId) }, h('td', {}, button));
  updateRow(row, c);
  return row;
}

/**
 * Brings a row up to date in place: the state cells are replaced, the actions cell and its button stay the same
 * elements, so the invigilator's focus on "Handlinger" survives pupils typing (a rebuilt row would drop it to <body>).
 */
export function updateRow(row: HTMLTableRowElement, c: CandidateRow): void {
  const actions = row.lastElementChild!;
  actions.querySelector('button')?.setAttribute('aria-label', tr(`Handlinger for ${c.examNumber} ${c.name}`, `Actions for ${c.examNumber} ${c.name}`));
  row.className = rowClass(c);
  for (const cell of [...row.children]) if (cell !== actions) cell.remove();
  actions.before(...stateCells(c));
}
