import { api, ApiError } from '../shell/api.ts';
import { confirmDialog } from '../shell/confirmDialog.ts';
import type { RenderView } from '../shell/context.ts';
import { asyncListener, h } from '../shell/dom.ts';
import { formatDateTime, tr } from '../shell/i18n.ts';
import { enterView } from '../shell/transition.ts';
import { importReport, type ImportResult } from './importReport.ts';

interface Room {
  id: number;
  name: string;
}
interface SchoolSitting {
  id: number;
  subject: string;
  startsAt: string;
  registered: number;
  state: 'scheduled' | 'lobby' | 'running' | 'ended' | 'cancelled';
}
const problem = (err: unknown) => (err instanceof ApiError ? err.detail : String(err));

/** The school administrator's area (docs/rules.md §3): rooms, candidate import, registration, access-code sheets. */
export const renderSchoolAdmin: RenderView = async (root) => {
  // Adding a room redraws the page; only the first drawing is a new view that takes focus and is announced.
  let first = true;
  const show = async () => {
    const [{ rooms }, { sittings }] = await Promise.all([
      api<{ rooms: Room[] }>('/api/schools/rooms'),
      api<{ sittings: SchoolSitting[] }>('/api/schools/sittings'),
    ]);

    const roomName = h('input', { id: 'room-name', required: true });
    const roomMsg = h('p', { role: 'status' });
    const roomForm = h(
      'form',
      { class: 'card' },
      h('h2', {}, tr('Lokaler', 'Rooms')),
      h('ul', {}, ...rooms.map((r) => h('li', {}, r.name))),
      h('label', { for: 'room-name' }, tr('Nyt lokale', 'New room')),
      roomName,
      h('button', { type: 'submit' }, tr('Tilføj', 'Add')),
      roomMsg,
    );
    roomForm.addEventListener(
      'submit',
      asyncListener(async (e) => {
        e.preventDefault();
        try {
          await api('/api/schools/rooms', { json: { name: roomName.value } });
          await show();
        } catch (err) {
          roomMsg.textContent = problem(err);
        }
      }),
    );

    const csv = h('input', { type: 'file', id: 'csv-file', accept: '.csv,text/csv' });
    const report = h('div', { id: 'import-report', 'aria-live': 'polite' });
    const importForm = h(
      'form',
      { class: 'card' },
      h('h2', {}, tr('Importér elever (CSV)', 'Import candidates (CSV)')),
      h(
        'p',
        { class: 'hint' },
        tr(
          'Kolonner: navn; uni-id; klasse; ekstra minutter; oplæsning … (semikolon eller komma, med eller uden BOM).',
          'Columns: name; uni-id; class; extra minutes; text-to-speech … (semicolon or comma, with or without BOM).',
        ),
      ),
      h('label', { for: 'csv-file' }, tr('Vælg fil', 'Choose file')),
      csv,
      h('button', { type: 'submit', class: 'primary' }, tr('Importér', 'Import')),
      report,
    );
    importForm.addEventListener(
      'submit',
      asyncListener(async (e) => {
        e.preventDefault();
        const file = csv.files?.[0];
        if (!file) return;
        try {
          const r = await api<ImportResult>('/api/schools/candidates/import', { body: await file.text(), headers: { 'content-type': 'text/csv' } });
          report.replaceChildren(...importReport(r));
        } catch (err) {
          report.replaceChildren(h('p', { class: 'error', role: 'alert' }, problem(err)));
        }
      }),
    );

    const regMsg = h('p', { role: 'status' });
    const regSitting = h(
      'select',
      { id: 'reg-sitting' },
      ...sittings.map((s) =>
        h(
          'option',
          { value: String(s.id) },
          `${s.subject} · ${formatDateTime(s.startsAt)} (${s.registered})${s.state === 'running' ? tr(' – i gang', ' – in progress') : ''}`,
        ),
      ),
    );
    const regRoom = h('select', { id: 'reg-room' }, ...rooms.map((r) => h('option', { value: String(r.id) }, r.name)));
    const regClass = h('input', { id: 'reg-class', placeholder: '9.A', required: true });
    const regForm = h(
      'form',
      { class: 'card' },
      h('h2', {}, tr('Tilmeld en klasse', 'Register a class')),
      h('label', { for: 'reg-sitting' }, tr('Prøve', 'Sitting')),
      regSitting,
      h('label', { for: 'reg-room' }, tr('Lokale', 'Room')),
      regRoom,
      h('label', { for: 'reg-class' }, tr('Klasse', 'Class')),
      regClass,
      h('button', { type: 'submit', class: 'primary' }, tr('Tilmeld', 'Register')),
      h(
        'button',
        { type: 'button', onclick: () => window.open(`/api/schools/rooms/${regRoom.value}/access-codes?sittingId=${regSitting.value}&format=html`, '_blank') },
        tr('Udskriv engangskoder for lokalet', 'Print one-time codes for the room'),
      ),
      regMsg,
    );
    const register = async (confirmStarted: boolean) => {
      const r = await api<{ registered: { examNumber: string }[] }>('/api/schools/registrations', {
        json: { sittingId: Number(regSitting.value), roomId: Number(regRoom.value), className: regClass.value, confirmStarted },
      });
      regMsg.textContent = tr(`${r.registered.length} elever tilmeldt.`, `${r.registered.length} candidates registered.`);
    };
    // A pupil registered into a running sitting gets only the time left: the administrator is asked first.
    const askStarted = (opener: Element | null) => {
      const s = sittings.find((x) => String(x.id) === regSitting.value);
      confirmDialog(
        {
          title: tr('Prøven er begyndt', 'The sitting has started'),
          body: [
            tr(
              `${s?.subject ?? ''} begyndte ${s ? formatDateTime(s.startsAt) : ''}. Elever, der tilmeldes nu, får kun den tid, der er tilbage. Tilmeld klasse ${regClass.value} alligevel?`,
              `${s?.subject ?? ''} began ${s ? formatDateTime(s.startsAt) : ''}. Pupils registered now get only the time that is left. Register class ${regClass.value} anyway?`,
            ),
          ],
          confirmLabel: tr('Tilmeld alligevel', 'Register anyway'),
          onConfirm: () => register(true),
        },
        opener,
      );
    };
    regForm.addEventListener(
      'submit',
      asyncListener(async (e) => {
        e.preventDefault();
        const submitter = (e as SubmitEvent).submitter;
        regMsg.textContent = '';
        if (sittings.find((x) => String(x.id) === regSitting.value)?.state === 'running') return askStarted(submitter);
        try {
          await register(false);
        } catch (err) {
          // The sitting may have started while the page was open: the server asks for the confirmation then.
          if (err instanceof ApiError && err.type.endsWith(':sitting-started-confirm')) return askStarted(submitter);
          regMsg.textContent = problem(err);
        }
      }),
    );

    const heading = h('h1', {}, tr('Skoleadministration', 'School administration'));
    root.replaceChildren(h('main', { id: 'main', class: 'school-admin' }, heading, h('div', { class: 'school-grid' }, roomForm, importForm, regForm)));
    if (first) {
      first = false;
      enterView(
        heading,
        tr('Skoleadministration', 'School administration'),
        tr(
          `Skoleadministration: ${rooms.length} lokaler, ${sittings.length} prøver.`,
          `School administration: ${rooms.length} rooms, ${sittings.length} sittings.`,
        ),
      );
    }
  };
  try {
    await show();
  } catch (err) {
    root.replaceChildren(h('main', { id: 'main' }, h('p', { class: 'error', role: 'alert' }, problem(err))));
  }
};
