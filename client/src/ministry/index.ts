import { api, ApiError } from '../shell/api.ts';
import type { RenderView } from '../shell/context.ts';
import { asyncListener, h } from '../shell/dom.ts';
import { formatDateTime, tr } from '../shell/i18n.ts';
import { renderOverview } from './overview.ts';

interface Sitting {
  id: number;
  subject: string;
  level: number;
  startsAt: string;
  startDate: string;
  startTime: string;
  durationMinutes: number;
  status: string;
  schoolIds: number[];
}

/** The ministry's area: schedule sittings, upload the sealed paper, watch the national overview (docs/rules.md §2). */
export const renderMinistry: RenderView = async (root) => {
  let stopOverview: (() => void) | null = null;
  const list = async () => {
    stopOverview?.();
    const { sittings } = await api<{ sittings: Sitting[] }>('/api/sittings');
    const error = h('p', { class: 'error', role: 'alert' });
    const f = {
      subject: h('input', { id: 's-subject', required: true, value: 'Dansk – skriftlig fremstilling' }),
      level: h('select', { id: 's-level' }, h('option', { value: '9' }, 'FP9'), h('option', { value: '10' }, 'FP10')),
      date: h('input', { id: 's-date', type: 'date', required: true }),
      time: h('input', { id: 's-time', type: 'time', required: true, value: '09:00' }),
      duration: h('input', { id: 's-duration', type: 'number', min: '1', max: '600', value: '240' }),
      schools: h('input', { id: 's-schools', placeholder: '1, 2, 3' }),
    };
    const form = h(
      'form',
      { class: 'card' },
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
      h('label', { for: 's-schools' }, tr('Deltagende skoler (id)', 'Participating schools (ids)')),
      f.schools,
      error,
      h('button', { type: 'submit', class: 'primary' }, tr('Opret prøve', 'Create sitting')),
    );
    form.addEventListener(
      'submit',
      asyncListener(async (e) => {
        e.preventDefault();
        try {
          await api('/api/sittings', {
            json: {
              subject: f.subject.value,
              level: Number(f.level.value),
              startDate: f.date.value,
              startTime: f.time.value,
              durationMinutes: Number(f.duration.value),
              schoolIds: f.schools.value
                .split(/[\s,;]+/)
                .filter(Boolean)
                .map(Number),
            },
          });
          await list();
        } catch (err) {
          error.textContent = err instanceof ApiError ? err.detail : String(err);
        }
      }),
    );
    root.replaceChildren(
      h(
        'main',
        { id: 'main' },
        h('h1', {}, tr('Prøver', 'Sittings')),
        h(
          'table',
          {},
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ...[
                ['Fag', 'Subject'],
                ['Start', 'Start'],
                ['Varighed', 'Duration'],
                ['Status', 'Status'],
                ['', ''],
              ].map(([da, en]) => h('th', {}, tr(da, en))),
            ),
          ),
          h(
            'tbody',
            {},
            ...sittings.map((s) =>
              h(
                'tr',
                {},
                h('td', {}, `${s.subject} (FP${s.level})`),
                h('td', {}, formatDateTime(s.startsAt)),
                h('td', {}, `${s.durationMinutes} min`),
                h('td', {}, s.status === 'cancelled' ? tr('Aflyst', 'Cancelled') : tr('Planlagt', 'Scheduled')),
                h('td', {}, h('button', { type: 'button', onclick: () => void detail(s) }, tr('Åbn', 'Open'))),
              ),
            ),
          ),
        ),
        form,
      ),
    );
  };

  const detail = async (s: Sitting) => {
    const msg = h('p', { role: 'status' });
    const file = h('input', { type: 'file', id: 'paper-file', accept: 'application/pdf' });
    const upload = async () => {
      const pdf = file.files?.[0];
      if (!pdf) return;
      try {
        await api(`/api/sittings/${s.id}/paper`, { method: 'PUT', body: pdf, headers: { 'content-type': 'application/pdf' } });
        msg.textContent = tr('Opgavesættet er uploadet og forseglet indtil start.', 'The paper is uploaded and sealed until the start.');
      } catch (err) {
        msg.textContent = err instanceof ApiError ? err.detail : String(err);
      }
    };
    const cancel = async () => {
      try {
        await api(`/api/sittings/${s.id}/cancel`, { method: 'POST' });
        await list();
      } catch (err) {
        msg.textContent = err instanceof ApiError ? err.detail : String(err);
      }
    };
    const overview = h('section', { 'aria-live': 'polite' });
    root.replaceChildren(
      h(
        'main',
        { id: 'main' },
        h('button', { type: 'button', onclick: () => void list() }, tr('← Alle prøver', '← All sittings')),
        h('h1', {}, `${s.subject} · ${formatDateTime(s.startsAt)}`),
        h(
          'div',
          { class: 'card' },
          h('h2', {}, tr('Opgavesæt (PDF)', 'Question paper (PDF)')),
          h('label', { for: 'paper-file' }, tr('Vælg PDF', 'Choose PDF')),
          file,
          h('button', { type: 'button', class: 'primary', onclick: () => void upload() }, tr('Upload og forsegl', 'Upload and seal')),
          h('button', { type: 'button', class: 'danger', onclick: () => void cancel() }, tr('Aflys prøven', 'Cancel the sitting')),
          msg,
        ),
        overview,
      ),
    );
    stopOverview = renderOverview(overview, s.id);
  };

  try {
    await list();
  } catch (err) {
    root.replaceChildren(h('main', { id: 'main' }, h('p', { class: 'error', role: 'alert' }, err instanceof ApiError ? err.detail : String(err))));
  }
  return () => stopOverview?.();
};
