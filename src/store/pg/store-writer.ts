// The store thread's engine for a shared PostgreSQL store (see src/store/store-writer.ts): this
// collector's batches, through a small pool, with what PostgreSQL failures may pass (the server
// down, restarting or out of room; the network) told from those that would fail the same way again.

import type { StoreFailure } from '../store-failure.js';
import type { StoreWriter } from '../store-writer.js';
import { PgBatchWriter } from './batch-writer.js';
import { aboutTarget, connectPool, reasonOf } from './connection.js';
import { createIngestTables } from './migrate.js';

/** What the store thread needs to write to PostgreSQL: plain data, as it crosses to the thread. */
export interface PgStoreOptions {
  /** postgres://… with its password, resolved from {env} or {file}. */
  url: string;
  collector: string;
}

/**
 * Waits bounded so that a server that stops answering (a network cut with no reset) holds writes
 * and is retried, instead of a commit that never returns. Under the health check's 30 s
 * (src/observe/health.ts STORE_STALL_MS): a store thread waiting on a silent server is held and
 * says so, rather than taken as hung and restarted by the watchdog with its batches in memory.
 * The server gives up a transaction whose client went silent, so the chain head it locked is free
 * for the retry, and a lock wait (two processes under one collector name) fails as one that passes.
 */
const CONNECT_TIMEOUT_MS = 10_000;
const QUERY_TIMEOUT_MS = 20_000;
const LOCK_TIMEOUT_MS = 15_000;
const IDLE_IN_TRANSACTION_MS = 30_000;

/** Socket errors: the server cannot be reached now. */
const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'EAI_AGAIN', 'ENOTFOUND', 'ECONNABORTED']);

/**
 * SQLSTATE classes that pass: 08 connection exception, 53 insufficient resources (disk full, out
 * of memory, too many connections), 57 operator intervention (shutdown, restart, cannot connect
 * now), 58 system error (I/O), 40 transaction rollback (serialization, deadlock), 28 invalid
 * authorisation (a password being rotated), 25006 read-only transaction (a standby during failover),
 * 55P03 lock not available. Anything else (a constraint, a type, a bug) fails every time.
 */
const PASSING_SQLSTATE = /^(08|53|57|58|40|28)...$|^25006$|^55P03$/;

/**
 * The driver's own errors carry no code: a connection that ended, a connect or query that timed
 * out, a client left unusable by either.
 */
const DRIVER_CONNECTION = /Connection terminated|timeout exceeded when trying to connect|Query read timeout|not queryable|Connection closed/i;

export function pgRetryable(f: StoreFailure): boolean {
  if (f.code !== undefined) return NETWORK.has(f.code) || PASSING_SQLSTATE.test(f.code);
  return DRIVER_CONNECTION.test(f.error);
}

export async function openPgWriter(o: PgStoreOptions, keepRejectedPerReason: number): Promise<StoreWriter> {
  const target = { url: o.url, key: 'store.url' };
  // Two connections: one writes, the other answers pings while a long commit runs. Connected as
  // every command connects (TLS from the URL, the same message on failure); an idle connection the
  // server closes (a restart) is then an event, not a crash: the next write connects again, or is
  // held and retried.
  const pool = await connectPool(target, {
    max: 2, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, query_timeout: QUERY_TIMEOUT_MS,
    statement_timeout: QUERY_TIMEOUT_MS, lock_timeout: LOCK_TIMEOUT_MS, idle_in_transaction_session_timeout: IDLE_IN_TRANSACTION_MS,
    keepAlive: true, keepAliveInitialDelayMillis: 10_000, application_name: `aaawatch ${o.collector}`,
  });
  try {
    await createIngestTables(pool);
    const writer = new PgBatchWriter(pool, o.collector, keepRejectedPerReason);
    // Shows at start that this collector can write, as the SQLite store's first write does.
    await writer.write({ records: [], messages: [], hour: 0, traffic: [], rejects: [], unknowns: [], activity: [], native: undefined, resends: undefined, counters: [['store.started', 1]], gauges: [] });
    return {
      writeMany: (batches) => writer.writeMany(batches),
      async probe() {
        await pool.query('SELECT 1');
      },
      retryable: pgRetryable,
      close: () => pool.end(),
    };
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw new Error(aboutTarget(target, `cannot write as collector ${o.collector}: ${reasonOf(err)}`));
  }
}
