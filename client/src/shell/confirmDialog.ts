import './confirmDialog.css';
import { ApiError } from './api.ts';
import { asyncListener, h } from './dom.ts';
import { tr } from './i18n.ts';
import { openDialog } from './transition.ts';

export interface ConfirmOptions {
  title: string;
  /** What is about to happen, in sentences (the sitting's name, the time). */
  body: (Node | string)[];
  confirmLabel: string;
  /** Ask for a reason (audited by the server): the confirm button then needs one of three characters at least. */
  reason?: boolean;
  danger?: boolean;
  /** Does the thing; an error is shown in the dialog, which stays open. */
  onConfirm: (reason: string) => Promise<void>;
}

/**
 * A staff confirmation as a named modal dialog (openDialog): Escape or "Fortryd" closes it and focus returns to
 * the button that opened it; an error from the server stays visible in the dialog rather than closing it.
 */
export function confirmDialog(o: ConfirmOptions, opener: Element | null = document.activeElement): HTMLDialogElement {
  const heading = h('h2', {}, o.title);
  const error = h('p', { class: 'error', role: 'alert' });
  const reason = h('textarea', { id: 'confirm-reason', rows: 3, maxlength: 1000, required: o.reason ?? false, minlength: 3 });
  const confirm = h('button', { type: 'submit', class: o.danger ? 'danger' : 'primary', id: 'confirm-submit' }, o.confirmLabel);
  const form = h(
    'form',
    { method: 'dialog', novalidate: true },
    heading,
    ...o.body.map((b) => (typeof b === 'string' ? h('p', {}, b) : b)),
    o.reason ? h('label', { for: 'confirm-reason' }, tr('Begrundelse (skrives i revisionsloggen)', 'Reason (written to the audit log)')) : null,
    o.reason ? reason : null,
    error,
    h('div', { class: 'actions' }, h('button', { type: 'button', onclick: () => dialog.close() }, tr('Fortryd', 'Cancel')), confirm),
  );
  const dialog = h('dialog', { class: 'confirm-dialog' }, form);
  form.addEventListener(
    'submit',
    asyncListener(async (e) => {
      e.preventDefault();
      if (o.reason && reason.value.trim().length < 3) {
        error.textContent = tr('Skriv en begrundelse på mindst 3 tegn.', 'Write a reason of at least 3 characters.');
        reason.focus();
        return;
      }
      confirm.disabled = true;
      try {
        await o.onConfirm(reason.value.trim());
        dialog.close();
      } catch (err) {
        error.textContent = err instanceof ApiError ? err.detail : String(err);
      } finally {
        confirm.disabled = false;
      }
    }),
  );
  dialog.addEventListener('close', () => dialog.remove());
  openDialog(dialog, heading, opener);
  (o.reason ? reason : confirm).focus();
  return dialog;
}
