import type { AppDeps } from '../http/context.ts';
import { publicOrigin } from '../http/publicOrigin.ts';
import { configKey } from './configKey.ts';
import { sebDocument, sebSettings } from './sebFile.ts';
import { sittingSeb } from './sebQueries.ts';

interface SittingConfig {
  key: string;
  document: string;
  origin: string;
  quitPassword: string;
}
// Per server (deps): sitting ids are only unique within one database.
const caches = new WeakMap<AppDeps, Map<number, SittingConfig>>();

/**
 * A sitting's SEB configuration and its Config Key, built from the stored settings (stable for the sitting) and
 * cached: every request of an SEB sitting is checked against it. The start and quit URLs come from configuration
 * alone (http/publicOrigin.ts), never from a request: the .seb file must not send pupils to a host a request named.
 */
export async function sittingConfig(deps: AppDeps, sittingId: number): Promise<SittingConfig> {
  let cache = caches.get(deps);
  if (!cache) caches.set(deps, (cache = new Map()));
  const hit = cache.get(sittingId);
  if (hit) return hit;
  const seb = await sittingSeb(deps.db, sittingId, new URL(`/?sitting=${sittingId}`, publicOrigin(deps.config)).toString());
  const { rows } = await deps.db.query<{ aids: Record<string, boolean> }>('SELECT aids FROM sittings WHERE id = $1', [sittingId]);
  const origin = new URL(seb.start_url).origin;
  const settings = sebSettings({
    startUrl: seb.start_url,
    quitUrl: `${origin}/seb-quit`,
    quitPassword: seb.quit_password,
    examKeySalt: seb.exam_key_salt,
    allowedOrigin: origin,
    aids: rows[0]?.aids ?? {},
  });
  const config = { key: configKey(settings), document: sebDocument(settings), origin, quitPassword: seb.quit_password };
  cache.set(sittingId, config);
  return config;
}
