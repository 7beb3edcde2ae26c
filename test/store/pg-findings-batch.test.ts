// A reconcile step's findings written at once on PostgreSQL (raiseFindingsPg): the findings, their
// history and evidence end exactly as raiseFindingPg applied to each in turn leaves them (repeats,
// escalations, lower severities after, the same key several times in one step, resolved findings
// raised again, long names), and two collectors raising overlapping steps at once in opposite
// orders neither deadlock nor leave a twin.

import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewFinding, Severity } from '../../src/reconcile/findings.js';
import { raiseFindingPg, raiseFindingsPg } from '../../src/store/pg/findings.js';
import { createIngestTables } from '../../src/store/pg/migrate.js';
import { createPullTables } from '../../src/store/pg/pull-tables.js';
import { inTransaction } from '../../src/store/pg/transaction.js';
import { postgresAvailable, startPostgres, type ThrowawayPostgres } from '../support/postgres.js';
import { mulberry32 } from '../support/random.js';

let cluster: ThrowawayPostgres;
const pools: pg.Pool[] = [];

async function database(name: string): Promise<pg.Pool> {
  const admin = new pg.Pool({ connectionString: cluster.url, max: 1 });
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(cluster.url);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 4 });
  pools.push(pool);
  await createIngestTables(pool);
  await createPullTables(pool);
  return pool;
}

/** Every column of every finding and history entry, ids included, in id order. */
async function contents(pool: pg.Pool): Promise<{ findings: unknown[]; history: unknown[] }> {
  return {
    findings: (await pool.query('SELECT * FROM findings ORDER BY id')).rows,
    history: (await pool.query('SELECT * FROM finding_history ORDER BY id')).rows,
  };
}

const SEVERITIES: Severity[] = ['info', 'low', 'medium', 'high', 'critical'];
const LONG = `acct-${'x'.repeat(400)}`;

/** A finding on one of a few keys, so steps repeat keys, with severities, stamps and evidence drawn from `rnd`. */
function drawn(rnd: () => number, n: number, at: number): NewFinding {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const account = pick(['alice', 'bob', 'carol', LONG, '']);
  const f: NewFinding = {
    kind: pick(['account-created', 'unlogged-change']),
    severity: pick(SEVERITIES),
    device: pick(['r1', 'r2', `sw-${'y'.repeat(300)}`]),
    summary: `summary ${n}`,
    evidence: { events: [n, Math.floor(rnd() * 50)], ...(rnd() < 0.3 ? { snapshots: [n] } : {}), ...(rnd() < 0.3 ? { note: `n${n}` } : {}) },
    // Stamps out of order: a repeat older than the finding's last_seen leaves it.
    at: at + Math.floor(rnd() * 10_000) - 5_000,
  };
  if (account) f.account = account;
  if (rnd() < 0.5) f.attribution = `attribution ${n}`;
  if (rnd() < 0.3) f.technique = 'T1136';
  return f;
}

describe.skipIf(!postgresAvailable())('raising a step of findings on PostgreSQL', () => {
  beforeAll(async () => {
    cluster = await startPostgres();
  });
  afterAll(async () => {
    for (const p of pools) await p.end();
    cluster?.stop();
  });

  it('leaves findings, history and evidence as raising them one by one does', async () => {
    const one = await database('one_by_one');
    const batched = await database('batched');
    const rnd = mulberry32(14);
    let n = 0;
    const step = (size: number, at: number): NewFinding[] => Array.from({ length: size }, () => drawn(rnd, ++n, at));
    const steps: NewFinding[][] = [];
    for (let s = 0; s < 40; s++) steps.push(step(1 + Math.floor(rnd() * 30), 1_700_000_000_000 + s * 60_000));
    // The same key three times in one step: created, escalated, then a lower severity with an older stamp.
    const key = { kind: 'account-created', device: 'r9', account: 'dave', evidence: {} };
    steps.push([
      { ...key, severity: 'low', summary: 'first', at: 1_800_000_000_000, evidence: { events: [1] } },
      { ...key, severity: 'high', summary: 'escalated', at: 1_800_000_001_000, attribution: 'by eve', evidence: { events: [2], snapshots: [3] } },
      { ...key, severity: 'medium', summary: 'lower', at: 1_799_999_999_000, evidence: { events: [1, 4] } },
    ]);
    for (const [i, s] of steps.entries()) {
      await inTransaction(one, async (c) => {
        for (const f of s) await raiseFindingPg(c, f);
      });
      await inTransaction(batched, (c) => raiseFindingsPg(c, s));
      // Some findings are resolved between steps (as a person or an automatic resolution does): the next raise opens a new one.
      if (i % 7 === 3) {
        for (const pool of [one, batched]) await pool.query(`UPDATE findings SET status = 'resolved' WHERE id % 3 = 0 AND status <> 'resolved'`);
      }
      // Others acknowledged or accepted: a repeat of these kinds (another change to the account) reopens them.
      if (i % 5 === 1) {
        for (const pool of [one, batched]) {
          await pool.query(`UPDATE findings SET status = 'acknowledged' WHERE id % 4 = 1 AND status = 'open'`);
          await pool.query(`UPDATE findings SET status = 'accepted', accepted_until = 1900000000000 WHERE id % 4 = 2 AND status = 'open'`);
        }
      }
    }
    const a = await contents(one);
    const b = await contents(batched);
    expect(a.findings.length).toBeGreaterThan(20);
    expect(a.history.length).toBeGreaterThan(a.findings.length);
    expect((await one.query(`SELECT count(*)::int AS n FROM finding_history WHERE reason LIKE 'severity raised%'`)).rows[0].n).toBeGreaterThan(10);
    expect((await one.query('SELECT count(*)::int AS n FROM findings WHERE occurrences > 2')).rows[0].n).toBeGreaterThan(5);
    const reopened = `SELECT count(*)::int AS n FROM finding_history WHERE reason = 'the account changed again after the decision' AND from_status IN ('acknowledged', 'accepted') AND to_status = 'open'`;
    expect((await one.query(reopened)).rows[0].n).toBeGreaterThan(5);
    expect(b).toEqual(a);
    const dave = (await batched.query(`SELECT severity, summary, occurrences, first_seen, last_seen, attribution, evidence FROM findings WHERE account = 'dave'`)).rows[0];
    expect(dave).toEqual({
      severity: 'high', summary: 'escalated', occurrences: '3', first_seen: '1800000000000', last_seen: '1800000001000', attribution: 'by eve',
      evidence: JSON.stringify({ events: [1, 2, 4], snapshots: [3] }),
    });
  });

  it('takes five statements a step, whatever its size', async () => {
    const pool = await database('statements');
    const rnd = mulberry32(7);
    await inTransaction(pool, (c) => raiseFindingsPg(c, Array.from({ length: 150 }, (_, i) => drawn(rnd, i, 1_700_000_000_000))));
    const step = Array.from({ length: 300 }, (_, i) => drawn(rnd, 1000 + i, 1_700_000_100_000));
    const statements: string[] = [];
    await inTransaction(pool, async (c) => {
      const query = c.query.bind(c);
      (c as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
        statements.push(String(args[0]));
        return (query as (...a: unknown[]) => unknown)(...args);
      };
      try {
        await raiseFindingsPg(c, step);
      } finally {
        (c as unknown as { query: unknown }).query = query;
      }
    });
    expect(statements.length).toBeLessThanOrEqual(5);
  });

  it('lets two collectors raise overlapping steps at once, in opposite orders, without deadlock or twin', async () => {
    const pool = await database('concurrent');
    const keys = Array.from({ length: 200 }, (_, i) => `user${i}`);
    const finding = (account: string, severity: Severity): NewFinding => ({ kind: 'account-created', severity, device: 'r1', account, summary: account, evidence: { events: [1] }, at: 1 });
    for (let round = 0; round < 5; round++) {
      await Promise.all([
        inTransaction(pool, (c) => raiseFindingsPg(c, keys.map((k) => finding(k, 'medium')))),
        inTransaction(pool, (c) => raiseFindingsPg(c, [...keys].reverse().map((k) => finding(k, 'high')))),
        // raiseFindingPg (a pull's finding, one a transaction) takes the same locks.
        (async () => {
          for (const k of keys.slice(0, 20).reverse()) await inTransaction(pool, (c) => raiseFindingPg(c, finding(k, 'low')));
        })(),
      ]);
    }
    const rows = (await pool.query<{ account: string; n: number; occurrences: string; severity: string }>(
      `SELECT account, count(*) OVER (PARTITION BY account)::int AS n, occurrences, severity FROM findings`,
    )).rows;
    expect(rows).toHaveLength(keys.length);
    for (const r of rows) {
      expect(r.n).toBe(1);
      expect(Number(r.occurrences)).toBe(keys.slice(0, 20).includes(r.account) ? 15 : 10);
      expect(r.severity).toBe('high');
    }
  });
});
