import { api, ApiError } from '../shell/api.ts';
import { asyncListener, h } from '../shell/dom.ts';
import { tr } from '../shell/i18n.ts';
import { attachmentAids } from './attachmentAids.ts';
import type { School } from './types.ts';

/** The choice of participating schools by name, filtered as one types (a sitting goes to many schools). */
function schoolPicker(schools: School[]): { el: HTMLElement; chosen: () => number[] } {
  const filter = h('input', { id: 's-school-filter', type: 'search', autocomplete: 'off' });
  const boxes = schools.map((s) => {
    const box = h('input', { type: 'checkbox', value: String(s.id), id: `school-${s.id}` });
    const row = h('li', {}, box, ' ', h('label', { for: `school-${s.id}` }, s.name), h('span', { class: 'hint' }, ` (${s.institutionNo})`));
    return { s, box, row };
  });
  filter.addEventListener('input', () => {
    const q = filter.value.trim().toLocaleLowerCase('da');
    for (const b of boxes) b.row.hidden = !!q && !b.s.name.toLocaleLowerCase('da').includes(q) && !b.s.institutionNo.includes(q);
  });
  const el = h(
    'fieldset',
    { class: 'school-picker' },
    h('legend', {}, tr('Deltagende skoler', 'Participating schools')),
    h('label', { for: 's-school-filter' }, tr('Søg skole', 'Find a school')),
    filter,
    schools.length
      ? h('ul', { class: 'school-list' }, ...boxes.map((b) => b.row))
      : h('p', { class: 'hint' }, tr('Der er ingen skoler endnu.', 'There are no schools yet.')),
  );
  return { el, chosen: () => boxes.filter((b) => b.box.checked).map((b) => b.s.id) };
}

/** The "Ny prøve" form; `created` runs after the server accepted it. */
export function sittingForm(schools: School[], created: () => Promise<void>): HTMLFormElement {
  const error = h('p', { class: 'error', role: 'alert' });
  const f = {
    subject: h('input', { id: 's-subject', required: true, value: 'Dansk – skriftlig fremstilling' }),
    level: h('select', { id: 's-level' }, h('option', { value: '9' }, 'FP9'), h('option', { value: '10' }, 'FP10')),
    date: h('input', { id: 's-date', type: 'date', required: true }),
    time: h('input', { id: 's-time', type: 'time', required: true, value: '09:00' }),
    duration: h('input', { id: 's-duration', type: 'number', min: '1', max: '600', value: '240' }),
  };
  const picker = schoolPicker(schools);
  const attachments = attachmentAids();
  const form = h(
    'form',
    { class: 'card', novalidate: true },
    h('h2', {}, tr('Ny prøve', 'New sitting')),
    h('label', { for: 's-subject' }, tr('Fag', 'Subject')),
    f.subject,
    h('label', { for: 's-level' }, tr('Niveau', 'Level')),
    f.level,
    h('label', { for: 's-date' }, tr('Dato (dansk tid)', 'Date (Danish time)')),
    f.date,
    h('label', { for: 's-time' }, tr('Starttid', 'Start time')),
    f.time,
    h('label', { for: 's-duration' }, tr('Varighed (minutter)', 'Duration (minutes)')),
    f.duration,
    attachments.el,
    picker.el,
    error,
    h('button', { type: 'submit', class: 'primary' }, tr('Opret prøve', 'Create sitting')),
  );
  form.addEventListener(
    'submit',
    asyncListener(async (e) => {
      e.preventDefault();
      error.textContent = '';
      try {
        await api('/api/sittings', {
          json: {
            subject: f.subject.value,
            level: Number(f.level.value),
            startDate: f.date.value,
            startTime: f.time.value,
            // An empty field is sent as null, which the server explains as "fill in" (src/http/validationMessages.ts).
            durationMinutes: f.duration.value.trim() === '' ? null : Number(f.duration.value),
            schoolIds: picker.chosen(),
            aids: { attachments: attachments.chosen() },
          },
        });
        await created();
      } catch (err) {
        error.textContent = err instanceof ApiError ? err.detail : String(err);
      }
    }),
  );
  return form;
}
