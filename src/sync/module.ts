import { randomUUID } from 'node:crypto';
import type { AppDeps } from '../http/context.ts';
import { channels } from '../events/bus.ts';
import { SessionWatch } from '../auth/sessionWatch.ts';
import { AnswerHub } from './answerHub.ts';
import { DocumentRegistry } from './documentRegistry.ts';
import { LobbyHub } from './lobbyHub.ts';
import type { UpgradeRoute } from '../http/upgrade.ts';
import { PresenceReporter } from './presenceReporter.ts';
import { PERSIST } from './persistSettings.ts';
import { UpdatePersister } from './updatePersister.ts';
import type { ItemTestReader } from '../items/itemTestReader.ts';
import { guardFor } from '../items/responseGuard.ts';

export interface AnswerSync {
  hub: AnswerHub;
  registry: DocumentRegistry;
  /** The answer socket and the lobby's presence socket. */
  upgrades: UpgradeRoute[];
  /** Resolves once every update received so far is committed (hand-in, shutdown). */
  drain(): Promise<void>;
  start(): void;
  stop(): Promise<void>;
}

/**
 * The answer path of one node, wired: socket hub → live documents → group commit, with presence on the side.
 * Each part is small and knows only what it is handed here (docs/architecture.md tells the life of an update).
 */
export function createAnswerSync(deps: AppDeps, itemTests: ItemTestReader): AnswerSync {
  const nodeId = randomUUID().slice(0, 8);
  const persister = new UpdatePersister(deps.db, deps.log);
  persister.onFlush = (size, ms) => {
    deps.metrics.persistBatchSize.observe(size);
    deps.metrics.persistLatency.observe(ms / 1000);
    deps.metrics.pendingUpdates.set(persister.pending);
  };
  const presence = new PresenceReporter(deps.db, deps.bus, deps.log, nodeId, deps.now);
  let hub: AnswerHub | null = null;
  const commit = (registrationId: number, update: Uint8Array) => {
    deps.metrics.updatesReceived.inc();
    deps.metrics.pendingUpdates.set(persister.pending + 1);
    return persister.append(registrationId, update);
  };
  const registry = new DocumentRegistry(deps.db, deps.log, commit, {
    loaded: (doc) =>
      deps.bus.subscribe(channels.registration(doc.registrationId), (e) => {
        if (!e.type.startsWith('registration.')) return;
        if (e.type === 'registration.document') return doc.applyServerUpdate(Buffer.from((e as { update: string }).update, 'base64'));
        hub
          ?.onRegistrationEvent(doc, e as Parameters<AnswerHub['onRegistrationEvent']>[1])
          .catch((err: Error) => deps.log.warn({ err: { message: err.message }, registrationId: doc.registrationId }, 'registration event not applied'));
      }),
    saved: (doc) => presence.saved(doc),
    unloaded: (id) => presence.forget(id),
    compacted: (ms, waiting) => {
      deps.metrics.compactionDuration.observe(ms / 1000);
      deps.metrics.compactionsWaiting.set(waiting);
    },
    mayCompact: () => persister.pending < PERSIST.compactionPausesAtPending,
    guard: (doc) => guardFor(itemTests, doc, { now: deps.now, graceSeconds: deps.config.ANSWER_GRACE_SECONDS }),
  });
  const sessions = new SessionWatch(deps.db, deps.log, deps.now);
  hub = new AnswerHub(deps, registry, presence, sessions);
  const lobby = new LobbyHub(deps, presence, sessions);
  const drain = () => persister.drain();
  return {
    hub,
    registry,
    upgrades: [hub.route, lobby.route],
    drain,
    start() {
      hub.start();
      lobby.start();
      sessions.start();
      presence.start(() => [...registry.connectedIds(), ...lobby.connectedIds()]);
    },
    async stop() {
      sessions.stop();
      lobby.stop();
      await hub.stop(drain);
      await presence.stop();
    },
  };
}
