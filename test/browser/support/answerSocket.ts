import type { Page, WebSocketRoute } from 'playwright-core';
import { screenshot } from './browser.ts';

export interface AnswerSocketControl {
  /** Messages from the page are forwarded (again); held ones are sent first. */
  pass(): void;
  /** Messages from the page are kept back, as on a stalled network (the server never acknowledges them). */
  hold(): void;
  /** Messages from the page are lost. */
  drop(): void;
  /** New connections are closed at once (1013), as behind a proxy that turns the socket away. */
  refuse(): void;
  /** Messages from the page reach the server this much later (a slow, busy network); 0 for none. */
  latency(ms: number): void;
  /** Closes the current connection (1001), as when a network hop restarts. */
  cut(): void;
  /** Document updates (y-websocket sync/update) the page has sent so far, held or not. */
  updatesFromPage(): number;
}

/** Stands between a page and its answer socket like a flaky network. Install before the page connects. */
export async function interceptAnswerSocket(page: Page): Promise<AnswerSocketControl> {
  let mode: 'pass' | 'hold' | 'drop' | 'refuse' = 'pass';
  const held: (string | Buffer)[] = [];
  let latencyMs = 0;
  let updates = 0;
  let current: { page: WebSocketRoute; server: WebSocketRoute } | null = null;
  await page.routeWebSocket(/\/ws\/answer/, (ws) => {
    if (mode === 'refuse') {
      void ws.close({ code: 1013, reason: 'try again later' });
      return;
    }
    const server = ws.connectToServer();
    current = { page: ws, server };
    ws.onMessage((m) => {
      if (typeof m !== 'string' && m[0] === 0 && m[1] === 2) updates++;
      if (mode === 'hold') held.push(m);
      else if (mode === 'pass' && latencyMs)
        setTimeout(() => server.send(m), latencyMs); // same delay for all: order kept
      else if (mode === 'pass') server.send(m);
    });
  });
  return {
    pass: () => {
      mode = 'pass';
      for (const m of held.splice(0)) current?.server.send(m);
    },
    hold: () => {
      mode = 'hold';
    },
    drop: () => {
      mode = 'drop';
    },
    refuse: () => {
      mode = 'refuse';
    },
    latency: (ms) => {
      latencyMs = ms;
    },
    cut: () => {
      void current?.page.close({ code: 1001, reason: 'network lost' });
    },
    updatesFromPage: () => updates,
  };
}

/** Runs a browser scenario: screenshots of every page to test-results/ if it fails, the pages' contexts closed after. */
export async function scenario(name: string, pages: () => (Page | null)[], run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (err) {
    for (const [i, p] of pages().entries()) if (p) await screenshot(p, `${name}-failure-${i + 1}`);
    throw err;
  } finally {
    for (const p of pages())
      await p
        ?.context()
        .close()
        .catch(() => {});
  }
}
