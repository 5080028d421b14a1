import { execFileSync } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { addExtraAcceptors } from '../../src/http/extraAcceptors.ts';
import { createLogger } from '../../src/monitoring/logger.ts';

const servers: http.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
});

/** The accept queue's size as the kernel reports it for a listening port (ss's Send-Q), or null without ss. */
function listenBacklog(port: number): number | null {
  try {
    const out = execFileSync('ss', ['-Hltn', `sport = :${port}`], { encoding: 'utf8' });
    return Number(out.trim().split(/\s+/)[2]);
  } catch {
    return null;
  }
}

describe('extra acceptors of the listening socket (docs/performance.md)', () => {
  it('accepts a burst through every copy, serves each request by the one HTTP server, and keeps the backlog', async () => {
    let served = 0;
    const server = http.createServer((_req, res) => {
      served++;
      res.end('ok');
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, r));
    const port = (server.address() as AddressInfo).port;
    const copies = await addExtraAcceptors(server, 3, 4096, createLogger('silent'));
    servers.push(...(copies as http.Server[]));
    expect(copies).toHaveLength(3);
    const perCopy = copies.map(() => 0);
    copies.forEach((c, i) => c.on('connection', () => perCopy[i]++));

    // A busy event loop while 40 connections queue up: each iteration then takes one per listener.
    const requests = Array.from({ length: 40 }, () => fetch(`http://127.0.0.1:${port}/`, { headers: { connection: 'close' } }).then((r) => r.text()));
    await new Promise((r) => setTimeout(r, 50));
    const until = Date.now() + 300;
    while (Date.now() < until);
    expect(await Promise.all(requests)).toEqual(Array(40).fill('ok'));
    expect(served).toBe(40);
    expect(perCopy.every((n) => n > 0)).toBe(true);
    const backlog = listenBacklog(port);
    if (backlog !== null) expect(backlog).toBe(Math.min(4096, Number(execFileSync('cat', ['/proc/sys/net/core/somaxconn'], { encoding: 'utf8' }))));
  });

  it('loses no connection made while the copies are being opened (the helper process never accepts)', async () => {
    const server = http.createServer((_req, res) => res.end('ok'));
    servers.push(server);
    await new Promise<void>((r) => server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, r));
    const port = (server.address() as AddressInfo).port;
    const opening = addExtraAcceptors(server, 3, 4096, createLogger('silent'));
    const requests = Array.from({ length: 60 }, (_, i) =>
      new Promise((r) => setTimeout(r, i * 5)).then(() => fetch(`http://127.0.0.1:${port}/`, { headers: { connection: 'close' } }).then((r) => r.text())),
    );
    servers.push(...((await opening) as http.Server[]));
    expect(await Promise.all(requests)).toEqual(Array(60).fill('ok'));
  });

  it('opens none when asked for none', async () => {
    const server = http.createServer();
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    expect(await addExtraAcceptors(server, 0, 511, createLogger('silent'))).toEqual([]);
  });
});
