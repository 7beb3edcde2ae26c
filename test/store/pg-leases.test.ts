// Leases in PostgreSQL (src/store/pg/leases.ts): a pull lease per device and the estate's leader
// lease. Two real processes (test/support/lease-holder.ts) compete for them on a throwaway
// cluster: never two pulls of a device at once, one leader; the leader killed with SIGKILL, the
// other takes its leases only once they have run out on the database's clock.

import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLeaseTable, LEADER_LEASE, type Lease, Leases, pullLease } from '../../src/store/pg/leases.js';
import { REPO } from '../support/corpus.js';
import { postgresAvailable, startPostgres, type ThrowawayPostgres } from '../support/postgres.js';
import { watch, type Watched } from '../support/process.js';

let cluster: ThrowawayPostgres;
let pool: pg.Pool;
const children: ChildProcess[] = [];
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Said {
  holder: string;
  leader?: boolean;
  started?: boolean;
}

function holder(collector: string, ttlMs: number, devices: string[]): { child: ChildProcess; out: Watched; said: () => Said[] } {
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'test/support/lease-holder.ts'), cluster.url, collector, String(ttlMs), ...devices], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const out = watch(child);
  const said = (): Said[] => out.output().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Said);
  return { child, out, said };
}

async function until(what: string, f: () => Promise<boolean> | boolean, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await f())) {
    if (Date.now() > deadline) throw new Error(`${what}: not reached in time`);
    await sleep(50);
  }
}

interface Pull {
  device: string;
  holder: string;
  token: number;
  started_at: number;
  ended_at: number | null;
}

/** The database's clock, in milliseconds (as src/store/pg/leases.ts reads it). */
const dbNow = async (): Promise<number> =>
  Number((await pool.query<{ now: string }>('SELECT (extract(epoch from clock_timestamp()) * 1000)::bigint AS now')).rows[0]!.now);

const row = async (name: string): Promise<{ holder: string; acquired: number; renewed: number; expires: number }> => {
  const r = (await pool.query<{ holder: string; acquired_at: string; renewed_at: string; expires_at: string }>(
    'SELECT holder, acquired_at, renewed_at, expires_at FROM leases WHERE name = $1', [name])).rows[0]!;
  return { holder: r.holder, acquired: Number(r.acquired_at), renewed: Number(r.renewed_at), expires: Number(r.expires_at) };
};
const expiresAt = async (name: string): Promise<number> => (await row(name)).expires;

const pulls = async (): Promise<Pull[]> =>
  (await pool.query<Pull>('SELECT device, holder, token::int, started_at::float8 AS started_at, ended_at::float8 AS ended_at FROM pull_log ORDER BY device, started_at')).rows;

describe.skipIf(!postgresAvailable())('leases in PostgreSQL', () => {
  beforeAll(async () => {
    cluster = await startPostgres();
    pool = new pg.Pool({ connectionString: cluster.url, max: 4 });
    pool.on('error', () => undefined);
    await createLeaseTable(pool);
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await pool?.end();
    cluster?.stop();
  });

  it('gives a lease to one holder at a time; renewing keeps it, releasing frees it, a new holder raises its token', async () => {
    const a = new Leases(pool, 'a', 60_000);
    const b = new Leases(pool, 'b', 60_000);
    const first = await a.acquire(pullLease('sw1'));
    expect(first).toMatchObject({ name: 'pull:sw1', token: 1 });
    expect(first!.validFor()).toBeGreaterThan(0);
    expect(first!.validFor()).toBeLessThanOrEqual(60_000);
    expect(await b.acquire(pullLease('sw1'))).toBeUndefined();
    expect(await a.acquire(pullLease('sw1'))).toMatchObject({ token: 1 });
    expect(await b.holderOf(pullLease('sw1'))).toMatchObject({ holder: a.holder, collector: 'a', token: 1 });
    // b's release of a lease it does not hold changes nothing.
    await b.release(pullLease('sw1'));
    expect(await b.acquire(pullLease('sw1'))).toBeUndefined();
    await a.release(pullLease('sw1'));
    expect(await a.holderOf(pullLease('sw1'))).toBeUndefined();
    expect(await b.acquire(pullLease('sw1'))).toMatchObject({ token: 2 });
    // Other devices are other leases.
    expect(await a.acquire(pullLease('sw2'))).toMatchObject({ token: 1 });
    // A lease whose time ran out is anyone's, and only then: its time to live far longer than a
    // query takes on a loaded machine, a's next try waits for the database's clock to pass it.
    const brief = new Leases(pool, 'c', 3000);
    expect(await brief.acquire(pullLease('sw3'))).toBeDefined();
    expect(await a.acquire(pullLease('sw3'))).toBeUndefined();
    const briefUntil = await expiresAt(pullLease('sw3'));
    await until('sw3 run out', async () => (await dbNow()) >= briefUntil, 10_000);
    expect(await a.acquire(pullLease('sw3'))).toMatchObject({ token: 2 });
    // withLease: work under a held lease only; the lease is free again after.
    expect(await b.withLease(pullLease('sw2'), async () => 'pulled')).toBe('held-elsewhere');
    expect(await a.withLease(pullLease('sw4'), async (l) => `pulled under ${l.token}`)).toBe('pulled under 1');
    expect(await a.holderOf(pullLease('sw4'))).toBeUndefined();
  });

  it('a lease outlives a database blip shorter than its time to live; one longer makes its holder stop', async () => {
    // Long enough that a server stopped and started on a loaded machine is back well within it.
    const ttl = 15_000;
    const a = new Leases(pool, 'a', ttl);
    const lease = (await a.acquire(pullLease('blip')))!;
    const kept = a.keep(lease);
    try {
      cluster.down();
      await sleep(1000);
      cluster.up();
      const back = await dbNow();
      // Renewed after the blip: still a's, same holder, same token; its work was never told to stop.
      await until('renewed after the blip', async () => (await row(pullLease('blip'))).renewed > back, ttl);
      expect(kept.lost.aborted).toBe(false);
      expect(await a.holderOf(pullLease('blip'))).toMatchObject({ holder: a.holder, token: lease.token });
      cluster.down();
      await new Promise((r) => kept.lost.addEventListener('abort', r));
      expect(String(kept.lost.reason)).toContain('ran out before it could be renewed');
    } finally {
      kept.stop();
      cluster.up();
    }
    const left = await row(pullLease('blip'));
    // Its holder stopped counting from before the database stamped its last renewal, so the row
    // may still hold it a little while (as long as that renewal took to arrive, seconds on a
    // loaded machine): another holder takes it once it has run out on the database's clock.
    expect(left.holder).toBe(a.holder);
    const b = new Leases(pool, 'b', ttl);
    let taken: Lease | undefined;
    await until('b takes the lease', async () => (taken = await b.acquire(pullLease('blip'))) !== undefined, ttl);
    expect(taken).toMatchObject({ token: lease.token + 1 });
    const now = await row(pullLease('blip'));
    expect(now.holder).toBe(b.holder);
    expect(now.acquired).toBeGreaterThanOrEqual(left.expires);
  });

  it('two processes: never two pulls of a device at once, one leader; the leader killed with SIGKILL, the other takes over once its leases run out', async () => {
    // Renewed every third of it: a loaded machine delays a renewal by far less.
    const ttl = 4000;
    const devices = ['r1', 'r2', 'r3', 'r4', 'r5', 'r6'];
    const a = holder('a', ttl, devices);
    await until('a leads', () => a.said().some((s) => s.leader === true));
    const b = holder('b', ttl, devices);
    await until('b running', () => b.said().some((s) => s.started === true));
    const aHolder = a.said()[0]!.holder;
    const bHolder = b.said()[0]!.holder;
    // Both pull, each device by one at a time.
    await until('both pulled', async () => new Set((await pulls()).filter((p) => p.ended_at !== null).map((p) => p.holder)).size === 2);
    await sleep(3000);
    expect(b.said().some((s) => s.leader === true)).toBe(false);
    expect((await pool.query('SELECT holder FROM leases WHERE name = $1', [LEADER_LEASE])).rows).toEqual([{ holder: aHolder }]);

    a.child.kill('SIGKILL');
    await new Promise((r) => a.child.once('exit', r));
    const killed = Number((await pool.query<{ now: string }>('SELECT (extract(epoch from clock_timestamp()) * 1000)::bigint AS now')).rows[0]!.now);
    // a's leases as it left them: held until they run out.
    const left = (await pool.query<{ name: string; expires_at: string }>('SELECT name, expires_at FROM leases WHERE holder = $1', [aHolder])).rows;
    const leftAt = new Map(left.map((r) => [r.name, Number(r.expires_at)]));
    expect(leftAt.has(LEADER_LEASE)).toBe(true);

    await until('b leads', () => b.said().some((s) => s.leader === true), 30_000);
    const leader = (await pool.query<{ holder: string; acquired_at: string; token: string }>('SELECT holder, acquired_at, token FROM leases WHERE name = $1', [LEADER_LEASE])).rows[0]!;
    expect(leader.holder).toBe(bHolder);
    expect(Number(leader.acquired_at)).toBeGreaterThanOrEqual(leftAt.get(LEADER_LEASE)!);
    expect(Number(leader.token)).toBe(2);

    // b pulls every device after a's death, and a device a held only once a's lease ran out.
    await until('b pulls every device', async () => new Set((await pulls()).filter((p) => p.holder === bHolder && p.started_at > killed).map((p) => p.device)).size === devices.length);
    const all = await pulls();
    for (const [name, expires] of leftAt) {
      if (name === LEADER_LEASE) continue;
      const device = name.slice('pull:'.length);
      const next = all.find((p) => p.device === device && p.holder === bHolder && p.started_at > killed);
      expect(next!.started_at).toBeGreaterThanOrEqual(expires);
    }
    // Never two pulls of one device at once: each starts after the one before it ended (or, for a
    // pull a's death cut short, after a's lease on it ran out).
    for (const device of devices) {
      const mine = all.filter((p) => p.device === device);
      for (let i = 1; i < mine.length; i++) {
        const before = mine[i - 1]!;
        const end = before.ended_at ?? leftAt.get(pullLease(device)) ?? before.started_at;
        expect(mine[i]!.started_at, `${device}: pull ${i} began before the one before it ended`).toBeGreaterThanOrEqual(end);
      }
    }
    expect(all.filter((p) => p.holder === aHolder && p.ended_at !== null).length).toBeGreaterThan(0);
    await b.out.stop();
  });
});
