import type { User } from './context.ts';

/**
 * What lets the exam page open without a connection (docs/accessibility.md, "The pupil"): the app shell kept by
 * the service worker (client/public/sw.js) and the last signed-in user kept here. Signing out forgets both the
 * user and the pupil's last registration (candidate/offlineExam.ts), so the next person at the machine sees nothing.
 */
const USER_KEY = 'provesal.lastUser';
const SHELL = 'provesal-shell-v1';

export function rememberUser(user: User): void {
  localStorage.setItem(USER_KEY, JSON.stringify(user));
}

export function lastUser(): User | null {
  try {
    return JSON.parse(localStorage.getItem(USER_KEY) ?? 'null') as User | null;
  } catch {
    return null;
  }
}

/** Forgets everything kept for an offline start (sign-out, or the server says the session is gone). */
export function forgetOffline(): void {
  for (const key of Object.keys(localStorage)) if (key === USER_KEY || key.startsWith('provesal.exam.')) localStorage.removeItem(key);
}

/**
 * Registers the service worker and keeps the files this page has loaded already (they came before the worker
 * controlled the page), so that a reload without a connection still has them.
 */
export function keepAppShell(): void {
  // Only the built client (its scripts under /assets/): in development Vite serves changing files.
  const built = !!document.querySelector('script[src^="/assets/"]');
  if (!('serviceWorker' in navigator) || !built || !window.isSecureContext) return;
  navigator.serviceWorker.register('/sw.js').catch((err: unknown) => console.warn('the offline copy of the page is not available', err));
  const assets = performance
    .getEntriesByType('resource')
    .map((e) => new URL(e.name))
    .filter((u) => u.origin === location.origin && u.pathname.startsWith('/assets/'))
    .map((u) => u.pathname);
  caches
    .open(SHELL)
    .then((c) => c.addAll(['/', ...new Set(assets)]))
    .catch((err: unknown) => console.warn('the page could not be kept for offline use', err));
}
