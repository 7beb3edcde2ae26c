// The sign-in limiter kept in the store (src/web/limiter.ts, web_login_limits), one contract for
// both engines: two handles on one store stand for two `serve` nodes (or one node and the same node
// restarted), so a count made through one is the count the other sees; attempts made at once
// through both get no more checks than the limit; a spray of made-up names and sources leaves a
// bounded table, keeping the locks that end last.

import { join } from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openDatabase } from '../../../src/store/db.js';
import type { WebAccess } from '../../../src/web/data/access.js';
import { createWebTables, PG_NUMBERS, pgAccess } from '../../../src/web/data/pg-access.js';
import { sqliteAccess } from '../../../src/web/data/sqlite-access.js';
import { addressKey, FailureLimiter, nameKey, type LimitKey, type LimitRules } from '../../../src/web/limiter.js';
import { describeEngines, type StoreTarget } from '../../support/engines.js';

const MINUTE = 60_000;
const RULES: LimitRules = { windowMs: 30 * MINUTE, lockoutMs: 30 * MINUTE, maxKeys: 100_000 };
const T0 = Date.UTC(2026, 11, 6, 9, 0);

/** A handle on the store, as one node's web thread opens it. */
async function handle(target: StoreTarget): Promise<WebAccess> {
  if (target.kind === 'sqlite') return sqliteAccess(openDatabase(target.path), true);
  const pool = new pg.Pool({ connectionString: target.url, max: 4, types: PG_NUMBERS });
  pool.on('error', () => undefined);
  await createWebTables(pool);
  return pgAccess(pool, true);
}

const signIn = (name: string, address: string): LimitKey[] => [
  { key: nameKey(name, true), max: 5 },
  { key: addressKey(address), max: 20 },
];

describeEngines('sign-in limits in the store', (engine) => {
  let target: StoreTarget;
  const opened: WebAccess[] = [];
  const node = async (rules = RULES, forgot?: (pruned: number) => Promise<void>): Promise<FailureLimiter> => {
    const access = await handle(target);
    opened.push(access);
    return new FailureLimiter(access, rules, forgot);
  };
  /** Rows in the limiter's table (no interface reads it). */
  const rows = async (): Promise<number> => {
    if (target.kind === 'sqlite') {
      const db = openDatabase(target.path);
      try {
        return (db.prepare('SELECT count(*) AS n FROM web_login_limits').get() as { n: number }).n;
      } finally {
        db.close();
      }
    }
    const pool = new pg.Pool({ connectionString: target.url, max: 1 });
    try {
      return Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM web_login_limits')).rows[0]!.n);
    } finally {
      await pool.end();
    }
  };

  beforeEach(async () => {
    target = await engine.fresh();
  });
  afterEach(async () => {
    for (const a of opened.splice(0)) await a.close();
  });

  it('four failures on one node and one on another lock the name on both, and on a node started after', async () => {
    const [a, b] = [await node(), await node()];
    const keys = signIn('alice', '192.0.2.10');
    for (let i = 0; i < 4; i++) {
      const t = await a.attempt(keys, T0 + i);
      if (!t.allowed) throw new Error(`refused at ${i}`);
      await a.fail(t.ticket, T0 + i);
    }
    const last = await b.attempt(signIn('alice', '192.0.2.11'), T0 + 10);
    if (!last.allowed) throw new Error('the fifth refused');
    await b.fail(last.ticket, T0 + 10);
    // Locked on both nodes, from any address, for the whole lockout counted from the fifth failure.
    expect(await a.attempt(signIn('alice', '198.51.100.1'), T0 + 20)).toMatchObject({ allowed: false, retryAfter: 30 * 60, refused: 1 });
    expect(await b.attempt(signIn('alice', '198.51.100.2'), T0 + 21)).toMatchObject({ allowed: false, refused: 2 });
    // A node started now (a restart) refuses it too, until the lock ends.
    const restarted = await node();
    expect((await restarted.attempt(keys, T0 + 10 + 30 * MINUTE - 1)).allowed).toBe(false);
    expect((await restarted.attempt(keys, T0 + 10 + 30 * MINUTE)).allowed).toBe(true);
  });

  it('a success on one node clears the name\'s failures for both', async () => {
    const [a, b] = [await node(), await node()];
    const keys = signIn('bob', '192.0.2.20');
    for (let i = 0; i < 4; i++) {
      const t = await a.attempt(keys, T0 + i);
      if (t.allowed) await a.fail(t.ticket, T0 + i);
    }
    const ok = await b.attempt(keys, T0 + 5);
    if (!ok.allowed) throw new Error('refused');
    await b.succeed(ok.ticket, keys[0]!.key, T0 + 5);
    // Four more failures are allowed again before the fifth locks.
    for (let i = 0; i < 5; i++) {
      const t = await a.attempt(keys, T0 + 10 + i);
      if (!t.allowed) throw new Error(`refused at ${i}`);
      await a.fail(t.ticket, T0 + 10 + i);
    }
    expect((await b.attempt(keys, T0 + 20)).allowed).toBe(false);
  });

  it('a hundred attempts at once through two nodes get no more checks than the limit', async () => {
    const [a, b] = [await node(), await node()];
    const decisions = await Promise.all(Array.from({ length: 100 }, (_, i) => (i % 2 ? a : b).attempt(signIn('carol', `203.0.113.${i}`), T0)));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(5);
  });

  it('a spray of 10,000 made-up names from as many sources leaves at most the bound, keeping the lock that ends last', async () => {
    const pruned: number[] = [];
    const rules = { ...RULES, maxKeys: 1_000 };
    const [a, b] = [await node(rules, async (n) => void pruned.push(n)), await node(rules, async (n) => void pruned.push(n))];
    // A locked name, locked before the spray (its check took a minute): its lock ends after every sprayed key's window.
    const victim = [{ key: nameKey('victim', true), max: 1 }];
    const t = await a.attempt(victim, T0);
    if (t.allowed) await a.fail(t.ticket, T0 + MINUTE);
    const sprayed = new Set<string>();
    const lanes = 8;
    await Promise.all(
      Array.from({ length: lanes }, async (_, lane) => {
        for (let i = lane; i < 10_000; i += lanes) {
          const keys = [{ key: nameKey(`made-up-${i}`, false), max: 5 }, { key: addressKey(`2001:db8:${(i >> 8).toString(16)}:${(i & 255).toString(16)}::1`), max: 20 }];
          for (const k of keys) sprayed.add(k.key);
          // Reserved and never answered (a failure would lock nothing: each bucket and source is tried once or twice).
          await (i % 2 ? a : b).attempt(keys, T0 + 2);
        }
      }),
    );
    const left = await rows();
    expect(left).toBeLessThanOrEqual(1_000);
    // Every key written is in the table or was pruned, and said so (a name's bucket pruned and
    // written again is pruned twice: more, never fewer).
    expect(left + pruned.reduce((x, y) => x + y, 0)).toBeGreaterThanOrEqual(sprayed.size + 1);
    expect(pruned.length).toBeGreaterThan(1);
    expect((await a.attempt(victim, T0 + 3)).allowed).toBe(false);
  }, 400_000);
});
