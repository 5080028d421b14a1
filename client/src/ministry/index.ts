import './ministry.css';
import { api, ApiError } from '../shell/api.ts';
import { confirmDialog } from '../shell/confirmDialog.ts';
import type { RenderView } from '../shell/context.ts';
import { h } from '../shell/dom.ts';
import { formatDateTime, tr } from '../shell/i18n.ts';
import { enterView } from '../shell/transition.ts';
import { itemTestPanel } from './itemTest.ts';
import { renderOverview } from './overview.ts';
import { sittingForm } from './sittingForm.ts';
import { paperLabel, sittingName, stateLabel, type School, type Sitting } from './types.ts';

const problem = (err: unknown) => (err instanceof ApiError ? err.detail : String(err));

/** The ministry's area: schedule sittings, upload the sealed paper, watch the national overview (docs/rules.md §2). */
export const renderMinistry: RenderView = async (root) => {
  let stopOverview: (() => void) | null = null;
  let schools: School[] = [];
  const schoolName = new Map<number, string>();

  const list = async (message?: string) => {
    stopOverview?.();
    const [{ sittings }, all] = await Promise.all([api<{ sittings: Sitting[] }>('/api/sittings'), api<{ schools: School[] }>('/api/ministry/schools')]);
    schools = all.schools;
    for (const s of schools) schoolName.set(s.id, s.name);
    const heading = h('h1', {}, tr('Prøver', 'Sittings'));
    root.replaceChildren(
      h(
        'main',
        { id: 'main' },
        heading,
        h(
          'table',
          { id: 'sittings' },
          h('caption', { class: 'sr-only' }, tr('Alle prøver', 'All sittings')),
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ...[
                ['Prøve', 'Sitting'],
                ['Start', 'Start'],
                ['Varighed', 'Duration'],
                ['Status', 'State'],
                ['Opgavesæt', 'Question paper'],
                ['', ''],
              ].map(([da, en]) => h('th', { scope: 'col' }, tr(da, en))),
            ),
          ),
          h(
            'tbody',
            {},
            ...sittings.map((s) =>
              h(
                'tr',
                { 'data-sitting': String(s.id) },
                h('th', { scope: 'row' }, sittingName(s)),
                h('td', {}, formatDateTime(s.startsAt)),
                h('td', {}, `${s.durationMinutes} min`),
                h('td', { class: 'state' }, stateLabel(s.state)),
                h('td', { class: 'paper' }, paperLabel(s.paper)),
                h(
                  'td',
                  {},
                  h(
                    'button',
                    { type: 'button', onclick: () => void detail(s), 'aria-label': tr(`Åbn ${sittingName(s)}`, `Open ${sittingName(s)}`) },
                    tr('Åbn', 'Open'),
                  ),
                ),
              ),
            ),
          ),
        ),
        sittingForm(schools, () => list(tr('Prøven er oprettet.', 'The sitting is created.'))),
      ),
    );
    enterView(heading, tr('Prøver', 'Sittings'), message ?? tr(`Prøver: ${sittings.length} i alt.`, `Sittings: ${sittings.length} in all.`));
  };

  const detail = async (listed: Sitting) => {
    stopOverview?.();
    let s = listed;
    try {
      s = await api<Sitting>(`/api/sittings/${listed.id}`);
    } catch (err) {
      console.warn('the sitting could not be read again; showing the list row', problem(err));
    }
    const msg = h('p', { role: 'status' });
    const file = h('input', { type: 'file', id: 'paper-file', accept: 'application/pdf' });
    const paper = h('p', { id: 'paper-state' }, tr('Opgavesæt: ', 'Question paper: '), paperLabel(s.paper));
    const upload = async () => {
      const pdf = file.files?.[0];
      if (!pdf) return;
      try {
        const r = await api<{ paper: Sitting['paper'] }>(`/api/sittings/${s.id}/paper`, {
          method: 'PUT',
          body: pdf,
          headers: { 'content-type': 'application/pdf' },
        });
        paper.replaceChildren(tr('Opgavesæt: ', 'Question paper: '), paperLabel(r.paper));
        msg.textContent = tr('Opgavesættet er uploadet og forseglet indtil start.', 'The paper is uploaded and sealed until the start.');
      } catch (err) {
        msg.textContent = problem(err);
      }
    };
    const cancel = h(
      'button',
      {
        type: 'button',
        class: 'danger',
        id: 'cancel-sitting',
        onclick: () =>
          confirmDialog({
            title: tr(`Aflys ${sittingName(s)}?`, `Cancel ${sittingName(s)}?`),
            body: [
              tr(
                `Prøven ${sittingName(s)}, ${formatDateTime(s.startsAt)}, aflyses for alle ${s.schoolIds.length} skoler. Det kan ikke fortrydes.`,
                `The sitting ${sittingName(s)}, ${formatDateTime(s.startsAt)}, is cancelled for all ${s.schoolIds.length} schools. This cannot be undone.`,
              ),
            ],
            confirmLabel: tr('Aflys prøven', 'Cancel the sitting'),
            reason: true,
            danger: true,
            onConfirm: async (reason) => {
              await api(`/api/sittings/${s.id}/cancel`, { json: { reason } });
              await list(tr(`${sittingName(s)} er aflyst.`, `${sittingName(s)} is cancelled.`));
            },
          }),
      },
      tr('Aflys prøven …', 'Cancel the sitting …'),
    );
    const editable = s.state === 'scheduled' || s.state === 'lobby';
    const overview = h('section', { 'aria-live': 'polite' });
    const heading = h('h1', {}, `${sittingName(s)} · ${formatDateTime(s.startsAt)}`);
    root.replaceChildren(
      h(
        'main',
        { id: 'main' },
        h('button', { type: 'button', onclick: () => void list() }, tr('← Alle prøver', '← All sittings')),
        heading,
        h('p', { id: 'sitting-state' }, tr('Status: ', 'State: '), h('strong', {}, stateLabel(s.state))),
        h(
          'p',
          {},
          tr('Skoler: ', 'Schools: '),
          s.schoolIds.length ? s.schoolIds.map((id) => schoolName.get(id) ?? `#${id}`).join(', ') : tr('ingen endnu', 'none yet'),
        ),
        h(
          'div',
          { class: 'card' },
          h('h2', {}, tr('Opgavesæt (PDF)', 'Question paper (PDF)')),
          paper,
          editable ? h('label', { for: 'paper-file' }, tr('Vælg PDF', 'Choose PDF')) : null,
          editable ? file : null,
          h(
            'div',
            { class: 'sitting-actions' },
            editable ? h('button', { type: 'button', class: 'primary', onclick: () => void upload() }, tr('Upload og forsegl', 'Upload and seal')) : null,
          ),
          msg,
        ),
        editable ? h('div', { class: 'card' }, h('h2', {}, tr('Aflysning', 'Cancellation')), cancel) : null,
        s.state === 'cancelled' ? null : itemTestPanel(s),
        overview,
      ),
    );
    enterView(
      heading,
      sittingName(s),
      tr(`${sittingName(s)} åbnet. Status: ${stateLabel(s.state)}.`, `${sittingName(s)} opened. State: ${stateLabel(s.state)}.`),
    );
    if (s.state !== 'cancelled') stopOverview = renderOverview(overview, s.id);
  };

  try {
    await list();
  } catch (err) {
    root.replaceChildren(h('main', { id: 'main' }, h('p', { class: 'error', role: 'alert' }, problem(err))));
  }
  return () => stopOverview?.();
};
