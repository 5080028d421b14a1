import { api, ApiError } from './api.ts';
import { h } from './dom.ts';
import { tr } from './i18n.ts';

/** Sign-in: password, or the one-time code an invigilator hands out (SPEC §1). */
export function renderLogin(root: HTMLElement, onSignedIn: () => void): void {
  const error = h('p', { class: 'error', role: 'alert', id: 'login-error' });
  const busy = (form: HTMLFormElement, on: boolean) => form.querySelectorAll('button').forEach((b) => { b.disabled = on; });
  const submit = (form: HTMLFormElement, path: string, body: () => unknown) => async (e: Event) => {
    e.preventDefault();
    error.textContent = '';
    busy(form, true);
    try {
      await api(path, { json: body() });
      onSignedIn();
    } catch (err) {
      error.textContent = err instanceof ApiError ? err.detail : String(err);
    } finally {
      busy(form, false);
    }
  };

  const username = h('input', { id: 'username', name: 'username', autocomplete: 'username', required: true, autocapitalize: 'none' });
  const password = h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const pwForm = h('form', { class: 'card', 'aria-labelledby': 'pw-title' },
    h('h2', { id: 'pw-title' }, tr('Log ind', 'Sign in')),
    h('label', { for: 'username' }, tr('Brugernavn', 'Username')), username,
    h('label', { for: 'password' }, tr('Adgangskode', 'Password')), password,
    h('button', { type: 'submit', class: 'primary' }, tr('Log ind', 'Sign in')));
  pwForm.addEventListener('submit', submit(pwForm, '/api/auth/login', () => ({ username: username.value, password: password.value })));

  const code = h('input', { id: 'access-code', name: 'code', autocomplete: 'one-time-code', required: true, autocapitalize: 'characters',
    placeholder: 'XXXX-XXXX-XXXX' });
  const codeForm = h('form', { class: 'card', 'aria-labelledby': 'code-title' },
    h('h2', { id: 'code-title' }, tr('Engangskode', 'One-time code')),
    h('p', { class: 'hint' }, tr('Har du glemt din adgangskode? Få en kode af den tilsynsførende.', 'Forgot your password? Get a code from the invigilator.')),
    h('label', { for: 'access-code' }, tr('Kode', 'Code')), code,
    h('button', { type: 'submit' }, tr('Log ind med kode', 'Sign in with code')));
  codeForm.addEventListener('submit', submit(codeForm, '/api/auth/code', () => ({ code: code.value })));

  root.replaceChildren(h('main', { class: 'login', id: 'main' }, h('h1', {}, 'Prøvesal'), error, h('div', { class: 'login-forms' }, pwForm, codeForm)));
  username.focus();
}
