import { Server } from '@hocuspocus/server';

/** Hocuspocus in its default configuration and no persistence, as a peer on the benchmark's harness. */
const server = new Server({ port: Number(process.env.PORT ?? 0), address: '127.0.0.1', quiet: true });
await server.listen();
console.log(`peer listening on ${server.address.port}`);
