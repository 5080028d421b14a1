import { api, ApiError } from './api.ts';
import { asyncListener, h } from './dom.ts';
import { tr } from './i18n.ts';

/** Sign-in: password, or the one-time code an invigilator hands out (docs/rules.md §1). */
export function renderLogin(root: HTMLElement, onSignedIn: () => void): void {
  const error = h('p', { class: 'error', role: 'alert', id: 'login-error' });
  const busy = (form: HTMLFormElement, on: boolean) =>
    form.querySelectorAll('button').forEach((b) => {
      b.disabled = on;
    });
  const queue = h('p', { class: 'hint', role: 'status', id: 'login-queue' });
  const submit = (form: HTMLFormElement, path: string, body: () => unknown) =>
    asyncListener(async (e: Event) => {
      e.preventDefault();
      error.textContent = '';
      busy(form, true);
      // While many pupils sign in at once, show the place in the queue instead of a spinner that looks stuck.
      const poll = window.setInterval(
        asyncListener(async () => {
          const q = await api<{ waiting: number; estimateSeconds: number }>('/api/auth/queue').catch(() => {
            return null; // the queue line is a courtesy: when it cannot be read, the sign-in itself still reports how it went
          });
          if (q && q.waiting > 0)
            queue.textContent = tr(
              `Der er ${q.waiting} foran dig i køen (ca. ${q.estimateSeconds} s). Du logges ind automatisk – bliv på siden.`,
              `${q.waiting} ahead of you in the queue (about ${q.estimateSeconds} s). You will be signed in automatically – stay on this page.`,
            );
        }),
        1500,
      );
      try {
        await api(path, { json: body() });
        onSignedIn();
      } catch (err) {
        error.textContent = err instanceof ApiError ? err.detail : String(err);
      } finally {
        clearInterval(poll);
        queue.textContent = '';
        busy(form, false);
      }
    });

  const username = h('input', { id: 'username', name: 'username', autocomplete: 'username', required: true, autocapitalize: 'none' });
  const password = h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const pwForm = h(
    'form',
    { class: 'card', 'aria-labelledby': 'pw-title' },
    h('h2', { id: 'pw-title' }, tr('Log ind', 'Sign in')),
    h('label', { for: 'username' }, tr('Brugernavn', 'Username')),
    username,
    h('label', { for: 'password' }, tr('Adgangskode', 'Password')),
    password,
    h('button', { type: 'submit', class: 'primary' }, tr('Log ind', 'Sign in')),
  );
  pwForm.addEventListener(
    'submit',
    submit(pwForm, '/api/auth/login', () => ({ username: username.value, password: password.value })),
  );

  const code = h('input', {
    id: 'access-code',
    name: 'code',
    autocomplete: 'one-time-code',
    required: true,
    autocapitalize: 'characters',
    placeholder: 'XXXX-XXXX-XXXX',
  });
  const codeForm = h(
    'form',
    { class: 'card', 'aria-labelledby': 'code-title' },
    h('h2', { id: 'code-title' }, tr('Engangskode', 'One-time code')),
    h('p', { class: 'hint' }, tr('Har du glemt din adgangskode? Få en kode af den tilsynsførende.', 'Forgot your password? Get a code from the invigilator.')),
    h('label', { for: 'access-code' }, tr('Kode', 'Code')),
    code,
    h('button', { type: 'submit' }, tr('Log ind med kode', 'Sign in with code')),
  );
  codeForm.addEventListener(
    'submit',
    submit(codeForm, '/api/auth/code', () => ({ code: code.value })),
  );

  // Why the pupil is here again (e.g. the answer socket said "not signed in"); shown once.
  const notice = JSON.parse(sessionStorage.getItem('provesal.notice') ?? 'null') as [string, string] | null;
  sessionStorage.removeItem('provesal.notice');
  const uniLogin = h('section', { class: 'card', 'aria-labelledby': 'uni-title', id: 'uni-login', hidden: true });
  root.replaceChildren(
    h(
      'main',
      { class: 'login', id: 'main' },
      h('h1', {}, 'Prøvesal'),
      notice ? h('p', { class: 'notice', role: 'alert' }, tr(...notice)) : null,
      error,
      queue,
      uniLogin,
      h('div', { class: 'login-forms' }, pwForm, codeForm),
    ),
  );
  username.focus();
  void showUniLogin(uniLogin);
}

/**
 * UNI-Login (docs/rules.md §12), shown only where it is configured. Staff have their own button because the role is
 * unknown before the sign-in and they must be asked for two factors; when UNI-Login is down the pupil is sent to the code.
 */
async function showUniLogin(card: HTMLElement): Promise<void> {
  const status = await api<{ configured: boolean; available: boolean }>('/api/auth/oidc/status').catch(() => null);
  if (!status?.configured) return;
  const returnTo = encodeURIComponent(location.pathname + location.search);
  card.replaceChildren(
    h('h2', { id: 'uni-title' }, tr('Log ind med UNI-Login', 'Sign in with UNI-Login')),
    status.available
      ? h(
          'p',
          {},
          h(
            'a',
            { class: 'button primary', id: 'uni-login-pupil', href: `/api/auth/oidc/start?returnTo=${returnTo}` },
            tr('Elev: log ind med UNI-Login', 'Pupil: sign in with UNI-Login'),
          ),
          ' ',
          h(
            'a',
            { class: 'button', id: 'uni-login-staff', href: `/api/auth/oidc/start?returnTo=${returnTo}&role=staff` },
            tr('Personale: UNI-Login med to faktorer', 'Staff: UNI-Login with two factors'),
          ),
        )
      : h(
          'p',
          { class: 'notice', role: 'status', id: 'uni-login-down' },
          tr(
            'UNI-Login er ikke tilgængeligt lige nu. Få en engangskode af den tilsynsførende, og log ind med den nedenfor.',
            'UNI-Login is unavailable right now. Get a one-time code from the invigilator and sign in with it below.',
          ),
        ),
  );
  card.hidden = false;
}
