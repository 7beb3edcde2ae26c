// account-created on a shared PostgreSQL store reads a step's logins and nearby commands together
// (PgEstateStore.sessionsAt): each key must get exactly what lastLoginOf and commandsNear give it
// alone, over devices (one with a name longer than the indexed prefix), actors, logins with and
// without an address, stamps that tie, busy actors past one look, keys with nothing, repeated keys.

import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActorAt } from '../../src/reconcile/store.js';
import { PgEstateStore } from '../../src/store/pg/estate-store.js';
import { createIngestTables } from '../../src/store/pg/migrate.js';
import { createPullTables } from '../../src/store/pg/pull-tables.js';
import { postgresAvailable, startPostgres, type ThrowawayPostgres } from '../support/postgres.js';
import { mulberry32 } from '../support/random.js';
import { sessionKeys, sessionRows, type SessionRow } from '../support/session-rows.js';

const T = Date.UTC(2026, 10, 20, 9, 0);
const LOOKBACK = 12 * 3_600_000;
const SPAN = 60_000;
let cluster: ThrowawayPostgres;
let pool: pg.Pool;

async function store(rows: SessionRow[]): Promise<void> {
  await pool.query(
    `INSERT INTO events (collector, seq, kind, action, time, device, platform, actor, actor_address, command, received_at, transport, prev_hash, hash)
     SELECT 'c1', n, kind, action, time, device, 'cisco-ios', actor, address, CASE WHEN kind = 'command' THEN 'cmd ' || time END, time, 'tcp', '\\x00', '\\x00'
     FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[]) WITH ORDINALITY AS r(kind, action, time, device, actor, address, n)`,
    [rows.map((r) => r.kind), rows.map((r) => r.action), rows.map((r) => r.time), rows.map((r) => r.device), rows.map((r) => r.actor), rows.map((r) => r.address)],
  );
  await pool.query('ANALYZE events');
}

describe.skipIf(!postgresAvailable())('sessionsAt on PostgreSQL', () => {
  beforeAll(async () => {
    cluster = await startPostgres();
    pool = new pg.Pool({ connectionString: cluster.url, max: 4 });
    await createIngestTables(pool);
    await createPullTables(pool);
  });
  afterAll(async () => {
    await pool?.end();
    cluster?.stop();
  });

  it('gives every key what lastLoginOf and commandsNear give it alone, records whole', async () => {
    const s = new PgEstateStore(pool);
    const r = mulberry32(14);
    const devices = ['core-sw1', 'core-sw2', 'edge-r1', `edge-${'r'.repeat(300)}`];
    const actors = ['jdoe', 'asmith', 'svc-auto'];
    const rows = sessionRows(r, T, devices, actors);
    await store(rows);
    const keys: ActorAt[] = sessionKeys(r, T, devices, actors);
    const together = await s.sessionsAt(keys, LOOKBACK, SPAN, 3);
    const alone = await Promise.all(keys.map(async (k) => ({
      login: await s.lastLoginOf(k.device, k.actor, k.time - LOOKBACK, k.time),
      commands: await s.commandsNear(k.device, k.actor, k.time, SPAN, 3),
    })));
    expect(together.map((t) => ({ login: t.login, commands: t.commands }))).toEqual(alone);
    // Not a test of nothing: most keys found a login and commands, and the busy actor its six.
    expect(together.filter((t) => t.login).length).toBeGreaterThan(150);
    expect(together.filter((t) => t.commands.length === 6).length).toBeGreaterThan(150);
    expect(together.filter((t, i) => t.login && keys[i]!.device.length > 256).length).toBeGreaterThan(10);
    expect(together[300]!.commands).toHaveLength(6);
    expect(together[302]).toEqual({ commands: [] });
  });

  it('gives nothing for no keys', async () => {
    expect(await new PgEstateStore(pool).sessionsAt([], LOOKBACK, SPAN, 3)).toEqual([]);
  });
});
