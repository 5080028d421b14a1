import type { Receipt } from '../../../src/protocol/control.ts';
import { api, ApiError } from '../shell/api.ts';
import { announce, asyncListener, h } from '../shell/dom.ts';
import { tr } from '../shell/i18n.ts';
import { openDialog } from '../shell/transition.ts';
import type { AnswerSync } from './answerSync.ts';

export const HONOUR_DECLARATION_DA =
  'Jeg erklærer på tro og love, at jeg selv har udarbejdet besvarelsen uden hjælp fra andre og kun med de tilladte hjælpemidler.';
const HONOUR_DECLARATION_EN = 'I declare on my honour that I wrote this answer myself, without help from others and using only the permitted aids.';

/** Confirm dialog with the honour declaration; hands in only after the last edits are acknowledged. */
export function openHandInDialog(registrationId: number, sync: AnswerSync, onReceipt: (r: Receipt) => void, uploading: string[] = []): void {
  const error = h('p', { class: 'error', role: 'alert' });
  const status = h('p', { role: 'status' });
  const check = h('input', { type: 'checkbox', id: 'honour' });
  const confirm = h('button', { type: 'button', class: 'primary', id: 'confirm-hand-in', disabled: true }, tr('Aflever nu', 'Hand in now'));
  const cancel = h('button', { type: 'button' }, tr('Fortryd', 'Cancel'));
  check.addEventListener('change', () => {
    confirm.disabled = !check.checked;
  });
  const heading = h('h2', { id: 'hand-in-title' }, tr('Aflever besvarelsen', 'Hand in your answer'));
  const dialog = h(
    'dialog',
    { class: 'hand-in-dialog' },
    heading,
    h('p', {}, tr('Når du har afleveret, kan du ikke skrive mere.', 'Once handed in, you cannot write any more.')),
    // Files still on their way are not part of the hand-in (docs/rules.md §15.9): the pupil decides knowing it.
    uploading.length
      ? h(
          'p',
          { class: 'warning', id: 'hand-in-uploading' },
          tr(
            `Disse filer er ikke sendt færdig og kommer ikke med, hvis du afleverer nu: ${uploading.join(', ')}.`,
            `These files have not finished sending and are not included if you hand in now: ${uploading.join(', ')}.`,
          ),
        )
      : null,
    h('div', { class: 'honour' }, check, h('label', { for: 'honour' }, tr(HONOUR_DECLARATION_DA, HONOUR_DECLARATION_EN))),
    status,
    error,
    h('div', { class: 'actions' }, cancel, confirm),
  );
  let busy = false;
  cancel.addEventListener('click', () => dialog.close());
  // Escape cancels (the native <dialog> does it), except while the hand-in is under way.
  dialog.addEventListener('cancel', (e) => {
    if (busy) e.preventDefault();
  });
  // openDialog gives focus back to the opener (when it is still there: after a hand-in the receipt has replaced it).
  let handedIn = false;
  dialog.addEventListener('close', () => {
    dialog.remove();
    if (!handedIn) announce(tr('Ikke afleveret. Du kan skrive videre.', 'Not handed in. You can keep writing.'));
  });
  confirm.addEventListener(
    'click',
    asyncListener(async () => {
      busy = true;
      confirm.disabled = true;
      cancel.disabled = true;
      error.textContent = '';
      try {
        if (!sync.saved) {
          status.textContent = tr('Gemmer dine sidste ændringer…', 'Saving your last changes…');
          await sync.whenSaved();
        }
        status.textContent = tr('Afleverer…', 'Handing in…');
        const receipt = await api<Receipt>(`/api/exam/registrations/${registrationId}/hand-in`, { json: { confirm: true } });
        busy = false;
        handedIn = true;
        dialog.close();
        onReceipt(receipt);
      } catch (err) {
        status.textContent = '';
        error.textContent =
          err instanceof ApiError
            ? err.detail
            : tr(
                'Dine sidste ændringer er ikke gemt på serveren endnu. Tjek forbindelsen og prøv igen – intet er tabt.',
                'Your last changes are not saved on the server yet. Check the connection and try again – nothing is lost.',
              );
        confirm.disabled = !check.checked;
        cancel.disabled = false;
        busy = false;
      }
    }),
  );
  // A modal <dialog> makes the page behind it inert, so Tab stays inside.
  openDialog(dialog, heading);
  announce(tr('Dialog: Aflever besvarelsen.', 'Dialog: Hand in your answer.'));
  check.focus();
}
