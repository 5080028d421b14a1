import type { AppDeps } from '../../http/context.ts';
import { oidcSettingsFrom, RelyingParty, type RelyingPartyOptions } from './relyingParty.ts';

// One relying party per running app (its discovery loop is the app's), found from the deps every route gets.
const parties = new WeakMap<AppDeps, RelyingParty | null>();

/** The app's UNI-Login relying party, started on first use; null when UNI-Login is not configured. */
export function relyingPartyFor(deps: AppDeps): RelyingParty | null {
  if (!parties.has(deps)) {
    const settings = oidcSettingsFrom(deps.config);
    const rp = settings ? new RelyingParty(settings, deps.log, { recheckMs: deps.config.OIDC_CHECK_SECONDS * 1000 }) : null;
    parties.set(deps, rp);
    void rp?.start();
  }
  return parties.get(deps)!;
}

/** Tests: replaces the app's relying party with one built with these options (e.g. a tampering network). */
export function replaceRelyingParty(deps: AppDeps, options: RelyingPartyOptions): RelyingParty {
  const settings = oidcSettingsFrom(deps.config);
  if (!settings) throw new Error('UNI-Login is not configured');
  parties.get(deps)?.stop();
  const rp = new RelyingParty(settings, deps.log, { recheckMs: deps.config.OIDC_CHECK_SECONDS * 1000, ...options });
  parties.set(deps, rp);
  return rp;
}

/** Stops the app's discovery loop (graceful shutdown, end of a test). */
export function stopRelyingParty(deps: AppDeps): void {
  parties.get(deps)?.stop();
}
