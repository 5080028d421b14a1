import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld } from '../support/factories.ts';
import { loginOverHttp } from '../support/http.ts';
import { startTestServer } from '../support/testApp.ts';

// Hardening point 9: a browser page on another site must not open our sockets with the pupil's cookies.
let server: Awaited<ReturnType<typeof startTestServer>>;
let w: Awaited<ReturnType<typeof buildWorld>>;
const cookies: Record<string, string> = {};

beforeAll(async () => {
  server = await startTestServer({ config: { DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'harden-ws-')) } });
  w = await buildWorld(server.deps.db, { startsAt: new Date(Date.now() - 60_000), durationMinutes: 120, candidates: 1 });
  cookies.candidate = await loginOverHttp(server.url, w.candidates[0].username, w.candidates[0].password);
  cookies.invigilator = await loginOverHttp(server.url, w.invigilatorA.username, w.invigilatorA.password);
  cookies.ministry = await loginOverHttp(server.url, w.ministry.username, w.ministry.password);
});
afterAll(async () => {
  await server.closeAll();
});

const sockets = () => [
  { name: 'answer', path: `/ws/answer/${w.candidates[0].registrationId}`, cookie: cookies.candidate },
  { name: 'live room', path: `/ws/invigilate/${w.sittingId}/${w.roomA}`, cookie: cookies.invigilator },
  { name: 'national', path: `/ws/national/${w.sittingId}`, cookie: cookies.ministry },
];

/** 'open' when the upgrade happened, else the HTTP status and body the server answered instead. */
function attempt(pathname: string, headers: Record<string, string>): Promise<{ outcome: 'open' } | { outcome: 'refused'; status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}${pathname}`, { headers });
    ws.once('open', () => {
      ws.close();
      resolve({ outcome: 'open' });
    });
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d: Buffer) => {
        body += d.toString();
      });
      res.on('end', () => resolve({ outcome: 'refused', status: res.statusCode ?? 0, body }));
    });
    ws.once('error', (err) => {
      if (ws.readyState !== WebSocket.CLOSED) reject(err);
    });
  });
}

describe('websocket upgrades check Origin', () => {
  it('refuses a cross-origin upgrade with 403 problem+json before upgrading, on all three sockets', async () => {
    for (const s of sockets()) {
      const r = await attempt(s.path, { cookie: s.cookie, origin: 'https://evil.example' });
      expect(r.outcome, s.name).toBe('refused');
      if (r.outcome !== 'refused') continue;
      expect(r.status, s.name).toBe(403);
      expect(JSON.parse(r.body).type).toBe('urn:provesal:problem:cross-origin-socket');
    }
  });

  it('refuses the opaque origin "null" (sandboxed frames, file: pages)', async () => {
    const r = await attempt(sockets()[0].path, { cookie: cookies.candidate, origin: 'null' });
    expect(r).toMatchObject({ outcome: 'refused', status: 403 });
  });

  it('accepts our own origin and clients that send no Origin at all (load generator, y-websocket in Node)', async () => {
    for (const s of sockets()) {
      expect(await attempt(s.path, { cookie: s.cookie, origin: server.url }), s.name).toEqual({ outcome: 'open' });
      expect(await attempt(s.path, { cookie: s.cookie }), s.name).toEqual({ outcome: 'open' });
    }
  });
});
