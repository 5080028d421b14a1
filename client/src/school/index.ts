import { api, ApiError } from '../shell/api.ts';
import type { RenderView } from '../shell/context.ts';
import { asyncListener, h } from '../shell/dom.ts';
import { formatDateTime, tr } from '../shell/i18n.ts';

interface Room {
  id: number;
  name: string;
}
interface SchoolSitting {
  id: number;
  subject: string;
  startsAt: string;
  registered: number;
}
interface ImportRow {
  line: number;
  uniId: string | null;
  status: string;
  reason?: string;
  reason_en?: string;
}

const problem = (err: unknown) => (err instanceof ApiError ? err.detail : String(err));

/** The school administrator's area (docs/rules.md §3): rooms, candidate import, registration, access-code sheets. */
export const renderSchoolAdmin: RenderView = async (root) => {
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
          const r = await api<{ created: number; updated: number; unchanged: number; refused: number; rows: ImportRow[] }>('/api/schools/candidates/import', {
            body: await file.text(),
            headers: { 'content-type': 'text/csv' },
          });
          report.replaceChildren(
            h(
              'p',
              {},
              tr(
                `${r.created} oprettet, ${r.updated} opdateret, ${r.unchanged} uændret, ${r.refused} afvist.`,
                `${r.created} created, ${r.updated} updated, ${r.unchanged} unchanged, ${r.refused} refused.`,
              ),
            ),
            h(
              'table',
              {},
              h('thead', {}, h('tr', {}, h('th', {}, tr('Linje', 'Line')), h('th', {}, 'Uni-id'), h('th', {}, 'Status'), h('th', {}, tr('Årsag', 'Reason')))),
              h(
                'tbody',
                {},
                ...r.rows
                  .filter((x) => x.status !== 'unchanged')
                  .map((x) =>
                    h(
                      'tr',
                      { class: x.status === 'refused' ? 'row-alert' : '' },
                      h('td', {}, String(x.line)),
                      h('td', {}, x.uniId ?? '–'),
                      h('td', {}, x.status),
                      h('td', {}, tr(x.reason ?? '', x.reason_en ?? '')),
                    ),
                  ),
              ),
            ),
          );
        } catch (err) {
          report.replaceChildren(h('p', { class: 'error', role: 'alert' }, problem(err)));
        }
      }),
    );

    const regMsg = h('p', { role: 'status' });
    const regSitting = h(
      'select',
      { id: 'reg-sitting' },
      ...sittings.map((s) => h('option', { value: String(s.id) }, `${s.subject} · ${formatDateTime(s.startsAt)} (${s.registered})`)),
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
    regForm.addEventListener(
      'submit',
      asyncListener(async (e) => {
        e.preventDefault();
        try {
          const r = await api<{ registered: { examNumber: string }[] }>('/api/schools/registrations', {
            json: { sittingId: Number(regSitting.value), roomId: Number(regRoom.value), className: regClass.value },
          });
          regMsg.textContent = tr(`${r.registered.length} elever tilmeldt.`, `${r.registered.length} candidates registered.`);
        } catch (err) {
          regMsg.textContent = problem(err);
        }
      }),
    );

    root.replaceChildren(
      h(
        'main',
        { id: 'main', class: 'school-admin' },
        h('h1', {}, tr('Skoleadministration', 'School administration')),
        h('div', { class: 'school-grid' }, roomForm, importForm, regForm),
      ),
    );
  };
  try {
    await show();
  } catch (err) {
    root.replaceChildren(h('main', { id: 'main' }, h('p', { class: 'error', role: 'alert' }, problem(err))));
  }
};
