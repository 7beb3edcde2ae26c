// The held check of a step's records read at once (EstateStore.heldHistory, SQLite's restatingIn)
// decides every record as the check of one record at a time did: the account's pulled state as of
// the record (pulledStateAt), carried forward by its records from that pull to the record
// (accountRecordsFor, heldBefore). Over a store of both engines with usernames created in bursts,
// re-issued before and after pulls, deleted and made again, on several devices, stamps out of
// order, and (SQLite) records not yet moved into the account records' table. Then account-created
// raises findings for exactly the records that give something and none for a re-issue.

import { createHash } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Digest } from '../../src/pull/digest.js';
import type { HostKey } from '../../src/pull/hostkeys.js';
import { sqlitePullStore, type PullStore } from '../../src/pull/pull-store.js';
import { isCreation } from '../../src/reconcile/created.js';
import { raiseCreationsEstate } from '../../src/reconcile/estate.js';
import { sqliteEstateStore, type EstateStore } from '../../src/reconcile/estate-store.js';
import { heldBefore, restateCandidates, restatesHeld, restatingIds } from '../../src/reconcile/held.js';
import type { StoredRecord } from '../../src/reconcile/model.js';
import { restatingIn } from '../../src/reconcile/store.js';
import { BatchStore } from '../../src/store/batch-store.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { IndexMover } from '../../src/store/index-moves.js';
import { PgBatchWriter } from '../../src/store/pg/batch-writer.js';
import type { LocalAccount } from '../../src/types.js';
import { rng } from '../bench/profiles.js';
import { describeEngines } from '../support/engines.js';
import { batchesFor } from '../support/ingest-batches.js';
import { openReconStores, type ReconStores } from '../support/recon-stores.js';
import { iosLine, SKEW_MS } from './support.js';

const MIN = 60_000;
const T0 = Date.parse('2026-11-20T08:00:00Z');
const DEVICES = ['sw1', 'sw2', 'sw3'];
const NAMES = ['jdoe', 'bob', 'carol', 'svc-a', 'temp1', 'temp2'];
const LEVELS = ['1', '7', '15'];
const hostKey: HostKey = { type: 'ssh-ed25519', blob: createHash('sha256').update('sw').digest(), fingerprint: 'SHA256:sw' };

const digestOf = (device: string, accounts: LocalAccount[]): Digest => {
  const text = [`hostname ${device}`, ...accounts.map((a) => a.lines[0])].join('\n');
  return { redacted: text, hash: createHash('sha256').update(text).digest('hex'), accounts };
};

/** A seeded history: lines (in the order they are stored, stamps not in that order) and pulls between them. */
function history(seed: number): { lines: string[]; pulls: Array<{ device: string; at: number; accounts: LocalAccount[] }> } {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const lines: string[] = [];
  let seq = 1;
  for (let i = 0; i < 600; i++) {
    const device = pick(DEVICES);
    // A burst: the same few usernames pushed to every device within seconds, as automation does.
    const burst = r() < 0.1;
    const t = T0 + Math.floor(r() * 120) * MIN + Math.floor(r() * 3) * 1000;
    const text = r() < 0.12 ? `no username ${pick(NAMES)}` : `username ${pick(NAMES)} privilege ${pick(LEVELS)} secret 0 Pw${i}`;
    for (const d of burst ? DEVICES : [device]) lines.push(iosLine(seq++, d, t, 'PARSER-5-CFGLOG_LOGGEDCMD', `User:netops  logged command:${text}`));
  }
  // Pulls every 20 minutes, each device's accounts with a privilege drawn again (sometimes the one a later username restates).
  const pulls: Array<{ device: string; at: number; accounts: LocalAccount[] }> = [];
  for (let k = 1; k <= 5; k++) {
    for (const device of DEVICES) {
      const accounts = NAMES.filter(() => r() < 0.6).map((name): LocalAccount => {
        const privilege = pick(LEVELS);
        return { name, privilege, roles: [], credentials: ['secret'], lines: [`username ${name} privilege ${privilege} secret 9 <redacted>`] };
      });
      pulls.push({ device, at: T0 + k * 20 * MIN + 7, accounts });
    }
  }
  return { lines, pulls };
}

/** A store of either engine holding a history, and the account records account-created reads from it. */
interface Side {
  estate: EstateStore;
  /** SQLite's connection (run.ts's restatingIn), undefined on PostgreSQL. */
  db: Db | undefined;
  records: StoredRecord[];
  rows(sql: string): Promise<Array<Record<string, unknown>>>;
  close(): Promise<void>;
}

async function fill(write: (lines: string[]) => Promise<void>, pulls: PullStore, estate: EstateStore, seed: number, moveFirst?: () => void): Promise<StoredRecord[]> {
  const h = history(seed);
  await estate.startCreationsHere(T0 - 1);
  const half = Math.floor(h.lines.length / 2);
  await write(h.lines.slice(0, half));
  moveFirst?.();
  for (const p of h.pulls) {
    await pulls.recordSuccess({ device: p.device, platform: 'cisco-ios', startedAt: p.at - 1000, finishedAt: p.at, attempts: 1, digest: digestOf(p.device, p.accounts), hostKey, keySource: 'tofu' });
  }
  // The second half stays in SQLite's unmoved tail: the held check must read it there.
  await write(h.lines.slice(half));
  return (await estate.newAccountRecords(100_000)).records;
}

/** The check as it was, one record at a time: the reference. */
async function oneAtATime(estate: EstateStore, records: readonly StoredRecord[]): Promise<Set<number>> {
  const out = new Set<number>();
  for (const r of restateCandidates(records)) {
    const pulled = await estate.pulledStateAt(r.device, r.target, r.time);
    const earlier = await estate.accountRecordsFor(r.device, r.target, pulled ? pulled.at - 1 : Number.MIN_SAFE_INTEGER, r.time);
    if (restatesHeld(r, heldBefore(r, pulled, earlier))) out.add(r.id);
  }
  return out;
}

const sorted = (s: Set<number>): number[] => [...s].sort((a, b) => a - b);

describeEngines('the held check, a step at a time', (engine) => {
  let side: Side;
  let reference: Set<number>;
  beforeAll(async () => {
    const target = await engine.fresh();
    if (target.kind === 'sqlite') {
      const db = openDatabase(target.path);
      const estate = sqliteEstateStore(db);
      const mover = new IndexMover(db);
      const write = async (lines: string[]): Promise<void> => {
        for (const b of batchesFor(lines, { source: '192.0.2.1', receivedAt: T0 })) new BatchStore(db, 100).write(b);
      };
      const records = await fill(write, sqlitePullStore(db), estate, 7, () => mover.moveAll());
      side = { estate, db, records, rows: async (sql) => db.prepare(sql).all() as Array<Record<string, unknown>>, close: async () => void db.close() };
    } else {
      const e: ReconStores = await openReconStores(target, 'c1');
      const write = async (lines: string[]): Promise<void> => {
        for (const b of batchesFor(lines, { source: '192.0.2.1', receivedAt: T0 })) await new PgBatchWriter(e.pool!, 'c1', 100).write(b);
      };
      const records = await fill(write, e.pulls, e.estate, 7);
      side = { estate: e.estate, db: undefined, records, rows: (sql) => e.rows(sql), close: () => e.close() };
    }
    reference = await oneAtATime(side.estate, side.records);
  }, 120_000);
  afterAll(() => side?.close());

  it('the history holds re-issues that restate and some that give more, before and after pulls, and deletes', () => {
    const candidates = restateCandidates(side.records);
    expect(side.records.some((r) => r.action === 'account.create')).toBe(true);
    expect(candidates.length).toBeGreaterThan(100);
    expect(reference.size).toBeGreaterThan(20);
    expect(reference.size).toBeLessThan(candidates.length - 20);
  });

  it('decides every record as one at a time did, whatever the step', async () => {
    for (const step of [side.records.length, 100, 37, 1]) {
      const got = new Set<number>();
      for (let i = 0; i < side.records.length; i += step) {
        const chunk = side.records.slice(i, i + step);
        for (const id of restatingIds(restateCandidates(chunk), await side.estate.heldHistory(restateCandidates(chunk), SKEW_MS))) got.add(id);
        if (side.db) for (const id of restatingIn(side.db, chunk, SKEW_MS)) expect(reference.has(id)).toBe(true);
        if (side.db) expect(restatingIn(side.db, chunk, SKEW_MS).size).toBe(chunk.filter((r) => reference.has(r.id)).length);
      }
      expect(sorted(got)).toEqual(sorted(reference));
    }
  });

  it('raises account-created for every record that gives something, none for a re-issue', async () => {
    await raiseCreationsEstate(side.estate, undefined, new Map(), () => undefined, T0 + 3 * 60 * MIN, SKEW_MS);
    const evidence = new Set<number>();
    for (const f of await side.rows(`SELECT evidence FROM findings WHERE kind = 'account-created'`)) {
      for (const id of (JSON.parse(f.evidence as string) as { events?: number[] }).events ?? []) evidence.add(id);
    }
    const giving = side.records.filter((r) => isCreation(r) && !reference.has(r.id)).map((r) => r.id);
    expect(giving.length).toBeGreaterThan(20);
    expect(sorted(new Set(side.records.map((r) => r.id).filter((id) => evidence.has(id))))).toEqual(giving.sort((a, b) => a - b));
  });
});
