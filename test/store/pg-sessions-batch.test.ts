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

const T = Date.UTC(2026, 10, 20, 9, 0);
const LOOKBACK = 12 * 3_600_000;
const SPAN = 60_000;
let cluster: ThrowawayPostgres;
let pool: pg.Pool;

type Row = { kind: 'session' | 'command'; action: string; time: number; device: string; actor: string; address: string | null };

async function store(rows: Row[]): Promise<void> {
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
    const rows: Row[] = [];
    for (let i = 0; i < 3000; i++) {
      const device = devices[Math.floor(r() * devices.length)]!;
      const actor = actors[Math.floor(r() * actors.length)]!;
      // Seconds, so stamps often tie; some logins carry no address (lastLoginOf passes them over).
      const time = T + Math.floor(r() * 1800) * 1000 - 900_000;
      const login = r() < 0.2;
      rows.push({ kind: login ? 'session' : 'command', action: login ? (r() < 0.5 ? 'login' : 'session.start') : 'command', time, device, actor, address: login && r() < 0.7 ? '192.0.2.7' : null });
    }
    // An automation account with more commands on one device in a minute than one look reads.
    for (let n = 0; n < 80; n++) rows.push({ kind: 'command', action: 'command', time: T + n * 500, device: 'core-sw1', actor: 'svc-bulk', address: null });
    await store(rows);
    const keys: ActorAt[] = [];
    for (let i = 0; i < 300; i++) {
      keys.push({ device: devices[Math.floor(r() * devices.length)]!, actor: actors[Math.floor(r() * actors.length)]!, time: T + Math.floor(r() * 2400) * 1000 - 1_200_000 });
    }
    keys.push({ device: 'core-sw1', actor: 'svc-bulk', time: T + 20_000 }, { device: 'core-sw1', actor: 'svc-bulk', time: T + 20_000 });
    keys.push({ device: 'nowhere', actor: 'jdoe', time: T }, { device: 'core-sw1', actor: 'nobody', time: T });
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
