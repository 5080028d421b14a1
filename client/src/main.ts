import './shell/styles.css';
import { api, ApiError } from './shell/api.ts';
import type { RenderView, User, ViewContext } from './shell/context.ts';
import { h } from './shell/dom.ts';
import { applyPrefs, renderHeader } from './shell/header.ts';
import { tr } from './shell/i18n.ts';
import { renderLogin } from './shell/login.ts';
import { forgetOffline, keepAppShell, lastUser, rememberUser } from './shell/offline.ts';

/** Each role's area, loaded on demand so a pupil's browser never downloads the staff code. */
const views: Record<string, () => Promise<RenderView>> = {
  candidate: () => import('./candidate/index.ts').then((m) => m.renderCandidate),
  invigilator: () => import('./invigilator/index.ts').then((m) => m.renderInvigilator),
  grader: () => import('./grader/index.ts').then((m) => m.renderGraderPortal),
  ministry: () => import('./ministry/index.ts').then((m) => m.renderMinistry),
  school_admin: () => import('./school/index.ts').then((m) => m.renderSchoolAdmin),
};

const root = document.getElementById('app')!;
let cleanup: (() => void) | void;

async function start(): Promise<void> {
  applyPrefs();
  cleanup?.();
  let user: User;
  try {
    user = (await api<{ user: User }>('/api/auth/me')).user;
    rememberUser(user);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      forgetOffline();
      return renderLogin(root, () => void restart());
    }
    // Offline: the last signed-in user goes on to their page, which opens from the browser's copy.
    const known = err instanceof ApiError && err.status === 0 ? lastUser() : null;
    if (!known) {
      root.replaceChildren(h('main', { id: 'main', class: 'error' }, h('p', { role: 'alert' }, (err as Error).message)));
      return;
    }
    user = known;
  }
  const ctx: ViewContext = {
    user,
    rerender: () => void show(),
    signOut: async () => {
      // Signing out locally goes on even if the server cannot be told: the session then simply expires there.
      const out = await api<{ endSessionUrl?: string | null }>('/api/auth/logout', { method: 'POST' }).catch((err: unknown) => {
        console.warn('sign-out not confirmed by the server', err);
        return null;
      });
      cleanup?.();
      forgetOffline();
      // A UNI-Login session ends at UNI-Login too, or the next pupil at this computer would be signed in as this one.
      if (out?.endSessionUrl) {
        location.assign(out.endSessionUrl);
        return;
      }
      await start();
    },
  };
  const show = async () => {
    cleanup?.();
    const area = h('div', { class: 'area' });
    root.replaceChildren(renderHeader(ctx), area);
    const load = views[user.role];
    if (!load) {
      area.textContent = tr('Ukendt rolle.', 'Unknown role.');
      return;
    }
    cleanup = await (await load())(area, ctx);
  };
  await show();
  keepAppShell();
}

/** start() shows its own errors on the page; what escapes it is logged. */
const restart = () => start().catch((err: unknown) => console.warn('the page could not start', err));
window.addEventListener('provesal:signed-out', () => {
  cleanup?.();
  forgetOffline();
  void restart();
});
void restart();
