import net from 'node:net';

export interface Upstream {
  host: string;
  port: number;
}

/**
 * A tiny TCP proxy for fault injection (npm run faults): in front of PostgreSQL or Redis it lets a script
 * take the service away without stopping the machine's own service; in front of app nodes it is the load
 * balancer (round robin, skipping an upstream that refuses) and the pupils' network that can go down.
 * `cut()` drops every connection and refuses new ones (the port is closed); `restore()` listens again.
 */
export class TcpProxy {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  private next = 0;
  port = 0;
  connections = 0;

  constructor(private upstreams: Upstream[]) {}

  async listen(port = 0): Promise<number> {
    const server = net.createServer((client) => this.accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port || this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as net.AddressInfo).port;
    return this.port;
  }

  /** Where new connections go from now on (a restarted server, a node taken out). */
  setUpstreams(upstreams: Upstream[]): void {
    this.upstreams = upstreams;
  }

  private accept(client: net.Socket): void {
    this.connections++;
    this.track(client);
    client.pause(); // hold what the client sends until the upstream is connected
    this.dial(client, 0);
  }

  private dial(client: net.Socket, tried: number): void {
    if (tried >= this.upstreams.length) {
      client.destroy();
      return;
    } // every upstream refused: so does the proxy
    const target = this.upstreams[this.next++ % this.upstreams.length];
    const upstream = net.connect(target.port, target.host);
    let connected = false;
    upstream.once('connect', () => {
      connected = true;
      this.track(upstream);
      upstream.pipe(client);
      client.pipe(upstream);
      client.resume();
    });
    upstream.on('error', () => {
      // A refused upstream (a killed node) is skipped like a load balancer would; a broken one ends the pair.
      if (!connected && !client.destroyed) this.dial(client, tried + 1);
      else client.destroy();
    });
    upstream.on('close', () => {
      if (connected) client.destroy();
    });
    client.on('error', () => upstream.destroy()); // the peer went away: end its half too
    client.on('close', () => upstream.destroy());
  }

  private track(s: net.Socket): void {
    this.sockets.add(s);
    s.once('close', () => this.sockets.delete(s));
  }

  /** The service is gone: every open connection is dropped and new ones are refused. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise<void>((r) => server.close(() => r()));
  }

  /** Drops every open connection but keeps accepting (pg_terminate_backend's effect, seen from outside). */
  dropConnections(): void {
    for (const s of this.sockets) s.destroy();
  }

  /** The service is back on the same port. */
  async restore(): Promise<void> {
    if (!this.server) await this.listen(this.port);
  }

  async close(): Promise<void> {
    await this.cut();
  }
}
