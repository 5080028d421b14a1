import pg from 'pg';

export type Db = pg.Pool;
/** Anything that runs a query: the pool or a client inside a transaction. */
export type Queryable = pg.Pool | pg.PoolClient;

// bigint columns come back as JS numbers: ids and counts here stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
// bigint[] (OID 1016) likewise: '{1,2,3}' → [1, 2, 3].
pg.types.setTypeParser(1016 as never, (v: string) => (v === '{}' ? [] : v.slice(1, -1).split(',').map(Number)));

export function createPool(connectionString: string, max = 20): Db {
  const pool = new pg.Pool({ connectionString, max, idleTimeoutMillis: 30_000 });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => {
    /* see above */
  });
  return pool;
}

/** Runs fn inside one transaction; rolls back on any error. */
export async function withTransaction<T>(db: Db, fn: (tx: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    // The original error is what the caller needs; a failed ROLLBACK means the connection is gone (and is discarded).
    await client.query('ROLLBACK').catch(() => {
      /* see above */
    });
    throw err;
  } finally {
    client.release();
  }
}
