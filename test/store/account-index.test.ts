// events_device_target kept as the table events_by_target, filled in sorted runs
// (src/store/index-moves.ts, migration 020): every reader of an account's records (the pulled
// changes' attribution, the account timeline, the population's keys and rows, the audit search by
// account) answers the same whether the records are in the table, part way through a move, or only
// in the unmoved tail; retention and purges keep the table in step; a store from before the
// migration upgrades with its account records.

import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RosterIndex } from '../../src/reconcile/evaluate.js';
import { population, populationPage, type PopulationContext, type PopulationRow } from '../../src/reconcile/population.js';
import { parseRosterYaml } from '../../src/reconcile/roster.js';
import { accountRecordsFor } from '../../src/reconcile/store.js';
import { accountTimeline } from '../../src/reconcile/timeline.js';
import { BatchStore } from '../../src/store/batch-store.js';
import { verifyChain } from '../../src/store/chain.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { IndexMover } from '../../src/store/index-moves.js';
import { migrations } from '../../src/store/migrations/index.js';
import accountIndex from '../../src/store/migrations/020-account-index.js';
import { purgeStored, valueSelection } from '../../src/store/purge.js';
import { applyRetention } from '../../src/store/retention.js';
import { batchesFor } from '../support/ingest-batches.js';
import { pagedSearch } from '../support/audit-pages.js';
import { storeBefore } from '../support/old-store.js';
import { tempDir } from '../support/temp.js';

const RECEIVED = Date.UTC(2026, 10, 21, 22, 10, 5);
/** Senders: the lines name no host, so each record's device is its sender's address. */
const DEVICES = ['192.0.2.7', '192.0.2.8', '192.0.2.9'];
const NAMES = ['svc-a', 'svc-b', 'temp', 'Temp', 'ops'];
const ACCOUNTS = `kind = 'account' AND target IS NOT NULL`;
let db: Db | undefined;
afterEach(() => db?.close());

/** An IOS archive-log line: minute `m`, second `s` of 22:00 on Nov 21, by jdoe. */
const line = (n: number, m: number, s: number, cmd: string): string => {
  const at = `22:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
  return `<189>${n}: *Nov 21 ${at}.123 UTC: %PARSER-5-CFGLOG_LOGGEDCMD: User:jdoe  logged command:${cmd}`;
};

let seq = 0;
/** Accounts made, changed and removed on every device, stamps out of order, commands between them. */
function write(store: BatchStore, count: number, minute: number): void {
  for (const source of DEVICES) {
    const lines: string[] = [];
    for (let i = 0; i < count; i++, seq++) {
      const name = NAMES[(seq * 3 + DEVICES.indexOf(source)) % NAMES.length]!;
      const m = minute + ((seq * 7) % 5);
      const cmd = seq % 7 === 3 ? `no username ${name}` : `username ${name} privilege ${seq % 2 ? 15 : 1} secret 0 pw${seq}pw${seq}`;
      lines.push(line(seq, m, seq % 60, cmd));
      lines.push(line(seq, m, (seq + 1) % 60, `interface Gi1/0/${seq}`));
    }
    for (const b of batchesFor(lines, { source, receivedAt: RECEIVED })) store.write(b);
  }
}

const END = Date.UTC(2026, 10, 22);
const ctx = (): PopulationContext => ({
  roster: new RosterIndex(parseRosterYaml('accounts: []\n', 'roster.yaml')),
  inventory: new Map(DEVICES.map((name) => [name, { name, platform: 'cisco-ios', groups: [] }])),
  dormantDays: 90, from: END - 30 * 86_400_000, to: END,
});

/** The population page by page (3 rows a page), every row. */
function pagedPopulation(d: Db): PopulationRow[] {
  const rows: PopulationRow[] = [];
  let after: { device: string; account: string } | undefined;
  for (;;) {
    const page = populationPage(d, ctx(), {}, after, 3);
    rows.push(...page.rows);
    if (!page.next) return rows;
    after = page.next;
  }
}

/** What each reader answers, and what a scan of events says it must. */
function readers(d: Db): { got: unknown; want: unknown } {
  const keys = DEVICES.flatMap((device) => [...NAMES, 'nobody'].map((name) => ({ device, name })));
  const scan = (device: string, name: string, where = '1', args: number[] = []): Array<{ id: number; time: number }> =>
    d.prepare(`SELECT id, time FROM events NOT INDEXED WHERE ${ACCOUNTS} AND device = ? AND target = ? AND ${where} ORDER BY time, id`).all(device, name, ...args) as Array<{ id: number; time: number }>;
  const from = Date.UTC(2026, 10, 21, 22, 11);
  const to = Date.UTC(2026, 10, 21, 22, 13, 30);
  const all = d.prepare(`SELECT id, target FROM events NOT INDEXED WHERE ${ACCOUNTS} ORDER BY time DESC, id DESC`).all() as Array<{ id: number; target: string }>;
  const records = d.prepare(`SELECT DISTINCT device || '/' || target FROM events NOT INDEXED WHERE ${ACCOUNTS}`).pluck().all() as string[];
  return {
    got: {
      changes: keys.map(({ device, name }) => accountRecordsFor(d, device, name, from, to).map((r) => r.id)),
      timeline: keys.map(({ device, name }) => accountTimeline(d, device, name).filter((e) => e.source === 'syslog' && e.what.includes('.')).map((e) => e.record)),
      search: NAMES.map((name) => pagedSearch(d, { target: name }, 4)),
      keys: pagedPopulation(d).map((r) => `${r.device}/${r.account}`).sort(),
    },
    want: {
      changes: keys.map(({ device, name }) => scan(device, name, 'time > ? AND time <= ?', [from, to]).map((r) => r.id)),
      timeline: keys.map(({ device, name }) => scan(device, name).reverse().map((r) => r.id)),
      search: NAMES.map((name) => all.filter((r) => r.target === name).map((r) => r.id)),
      keys: [...records].sort(),
    },
  };
}

const tableCount = (d: Db): number => d.prepare('SELECT count(*) FROM events_by_target').pluck().get() as number;
const accountCount = (d: Db): number => d.prepare(`SELECT count(*) FROM events WHERE ${ACCOUNTS}`).pluck().get() as number;

describe('account records kept as a table filled in sorted runs', () => {
  it('every reader finds an account’s records before a move, part way through one, after it, and with a new tail', () => {
    db = openDatabase(join(tempDir(), 'a.db'));
    const store = new BatchStore(db, 10);
    write(store, 40, 10);
    expect(accountCount(db)).toBe(120);
    // Nothing moved yet: every record is in the tail, and each reader must find it there (a reader
    // of the table alone finds nothing).
    expect(tableCount(db)).toBe(0);
    const before = readers(db);
    expect((before.want as { changes: number[][] }).changes.flat().length).toBeGreaterThan(10);
    expect(before.got).toEqual(before.want);
    const rowsBefore = [...population(db, ctx())];
    expect(rowsBefore.length).toBe(DEVICES.length * NAMES.length);

    // A small step: the account records among the first 30 records moved, the others in the tail.
    const mover = new IndexMover(db, undefined, 30);
    do mover.moveStep();
    while (tableCount(db) === 0 && mover.inProgress());
    expect(tableCount(db)).toBeGreaterThan(0);
    expect(tableCount(db)).toBeLessThan(120);
    const during = readers(db);
    expect(during.got).toEqual(during.want);
    expect([...population(db, ctx())]).toEqual(rowsBefore);

    mover.moveAll();
    expect(tableCount(db)).toBe(120);
    const after = readers(db);
    expect(after.got).toEqual(after.want);
    expect([...population(db, ctx())]).toEqual(rowsBefore);

    // Records stored after the move, some stamped earlier than moved ones (out of order): the
    // tail holds the latest of some accounts, the table of others.
    write(store, 8, 8);
    write(store, 8, 30);
    expect(mover.unmoved()).toBeGreaterThan(0);
    const tail = readers(db);
    expect(tail.got).toEqual(tail.want);
    const rowsTail = [...population(db, ctx())];
    mover.moveAll();
    const moved = readers(db);
    expect(moved.got).toEqual(moved.want);
    expect([...population(db, ctx())]).toEqual(rowsTail);
    expect(tableCount(db)).toBe(accountCount(db));
  });

  it('the population’s rows read at most their latest 200 records, from the table and the tail together', () => {
    db = openDatabase(join(tempDir(), 'a.db'));
    const store = new BatchStore(db, 10);
    const lines = Array.from({ length: 260 }, (_, n) => line(n, 10 + Math.floor(n / 60), n % 60, `username bulk privilege ${n === 250 ? 15 : 1} secret 0 x${n}x${n}`));
    for (const b of batchesFor(lines.slice(0, 200), { receivedAt: RECEIVED })) store.write(b);
    new IndexMover(db).moveAll();
    for (const b of batchesFor(lines.slice(200), { receivedAt: RECEIVED })) store.write(b);
    const rows = (): unknown => [...population(db!, ctx())].map((r) => [r.account, r.privilege, r.firstSeen, r.lastSeen, r.records]);
    const tail = rows();
    new IndexMover(db).moveAll();
    expect(rows()).toEqual(tail);
    // The first of the 200 read is the 61st record, and the privilege the latest gave.
    const first = db.prepare(`SELECT time FROM events WHERE ${ACCOUNTS} ORDER BY time DESC, id DESC LIMIT 1 OFFSET 199`).pluck().get();
    expect((tail as unknown[][])[0]![2]).toBe(first);
  });

  it('retention removes the entries of the records it removes', () => {
    db = openDatabase(join(tempDir(), 'a.db'));
    write(new BatchStore(db, 10), 20, 10);
    new IndexMover(db).moveAll();
    expect(tableCount(db)).toBe(60);
    const stored = db.prepare('SELECT count(*) FROM events').pluck().get() as number;
    expect(applyRetention(db, 1, RECEIVED + 2 * 86_400_000).events).toBe(stored);
    expect(tableCount(db)).toBe(0);
  });

  it('a purge that rewrites an account name rewrites its entry, moved or not', () => {
    db = openDatabase(join(tempDir(), 'a.db'));
    const store = new BatchStore(db, 10);
    write(store, 12, 10);
    new IndexMover(db).moveAll();
    write(store, 6, 20);
    expect(purgeStored(db, valueSelection(['svc-b']), { by: 'carol', reason: 'the name was a key', at: Date.now() })).toBeDefined();
    expect(db.prepare("SELECT count(*) FROM events WHERE target = 'svc-b'").pluck().get()).toBe(0);
    expect(db.prepare("SELECT count(*) FROM events_by_target WHERE target = 'svc-b'").pluck().get()).toBe(0);
    const renamed = db.prepare(`SELECT DISTINCT target FROM events WHERE ${ACCOUNTS} AND target NOT IN (${NAMES.map(() => '?').join(', ')})`).pluck().all(...NAMES) as string[];
    expect(renamed).toHaveLength(1);
    const moved = db.prepare('SELECT count(*) FROM events_by_target WHERE target = ?').pluck().get(renamed[0]) as number;
    expect(moved).toBeGreaterThan(0);
    new IndexMover(db).moveAll();
    expect(tableCount(db)).toBe(accountCount(db));
    const after = readers(db);
    expect(after.got).toEqual(after.want);
    expect(verifyChain(db).ok).toBe(true);
  });

  it('migrates a store with account records without copying them: events_device_target is gone, the moves fill the table, readers agree before and after', () => {
    const { path, old } = storeBefore(accountIndex);
    write(new BatchStore(old, 10), 20, 10);
    // Part of it moved into the device table, as a running store leaves it.
    new IndexMover(old, [{ name: 'device', table: 'events_by_device', columns: ['device', 'time'] }], 20).moveStep();
    old.close();

    db = openDatabase(path);
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'events_device_target'").pluck().get()).toBe(0);
    // Nothing copied by the migration (serve listens first): the account records are read from the tail.
    expect(tableCount(db)).toBe(0);
    const got = readers(db);
    expect(got.got).toEqual(got.want);
    const mover = new IndexMover(db);
    const stored = db.prepare('SELECT count(*) FROM events').pluck().get() as number;
    expect(mover.unmoved()).toBe(stored);
    mover.moveAll();
    expect(tableCount(db)).toBe(60);
    const after = readers(db);
    expect(after.got).toEqual(after.want);
    expect(db.prepare('SELECT count(*) FROM events_by_device').pluck().get()).toBe(stored);
    expect(verifyChain(db).ok).toBe(true);
  });
});
