// events_logins kept as the table events_by_login, filled in sorted runs (src/store/index-moves.ts,
// migration 018): an account's latest login and the address of its session are the same whether
// the logins are in the table, part way through a move, or only in the unmoved tail, for every
// reader (the population's rows, the present accounts, attribution's lastLoginOf); retention and
// purges keep the table in step; a store from before the migration upgrades with its logins.

import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RosterIndex } from '../../src/reconcile/evaluate.js';
import { population, type PopulationContext } from '../../src/reconcile/population.js';
import { parseRosterYaml } from '../../src/reconcile/roster.js';
import { lastLoginOf, presentAccounts } from '../../src/reconcile/store.js';
import { BatchStore } from '../../src/store/batch-store.js';
import { verifyChain } from '../../src/store/chain.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { IndexMover } from '../../src/store/index-moves.js';
import { migrations } from '../../src/store/migrations/index.js';
import loginIndex from '../../src/store/migrations/018-login-index.js';
import { purgeStored, valueSelection } from '../../src/store/purge.js';
import { insertAccount, insertSnapshot } from '../../src/store/pull.js';
import { applyRetention } from '../../src/store/retention.js';
import { batchesFor } from '../support/ingest-batches.js';
import { storeBefore } from '../support/old-store.js';
import { tempDir } from '../support/temp.js';

const RECEIVED = Date.UTC(2026, 10, 21, 22, 10, 5);
/** Senders: the lines name no host, so each record's device is its sender's address. */
const DEVICES = ['192.0.2.7', '192.0.2.8'];
const USERS = ['jdoe', 'asmith', 'bg'];
let db: Db | undefined;
afterEach(() => db?.close());

/** An IOS login line: minute `m`, second `s` of 22:00 on Nov 21, user and source address given. */
const login = (n: number, m: number, s: number, user: string, from: string): string => {
  const at = `22:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
  return `<189>${n}: *Nov 21 ${at}.123 UTC: %SEC_LOGIN-5-LOGIN_SUCCESS: Login Success [user: ${user}] [Source: ${from}] [localport: 22] at ${at} UTC Sat Nov 21 2026`;
};
const command = (n: number, user: string): string =>
  `<189>${n}: *Nov 21 22:30:${String(n % 60).padStart(2, '0')}.123 UTC: %PARSER-5-CFGLOG_LOGGEDCMD: User:${user}  logged command:interface Gi1/0/${n}`;

let seq = 0;
/** Logins of every user on both devices, stamps out of order (a later line can carry an earlier minute), and commands between them. */
function write(store: BatchStore, count: number, minute: number): void {
  for (const source of DEVICES) {
    const lines: string[] = [];
    for (let i = 0; i < count; i++, seq++) {
      const user = USERS[seq % USERS.length]!;
      lines.push(login(seq, minute + ((seq * 7) % 5), seq % 60, user, `10.1.${seq % 200}.${seq % 250}`));
      lines.push(command(seq, user));
    }
    for (const b of batchesFor(lines, { source, receivedAt: RECEIVED })) store.write(b);
  }
}

/** Pulled accounts, so presentAccounts and the population have rows for every user on both devices. */
function pulled(d: Db): void {
  for (const device of DEVICES) {
    const snap = insertSnapshot(d, { device, platform: 'cisco-ios', taken_at: RECEIVED - 86_400_000, hash: 'h', config: `hostname ${device}\nend\n`, bytes: 20 });
    for (const name of [...USERS, 'never']) insertAccount(d, { device, name, privilege: '15', roles: '[]', credentials: '["secret"]', lines: '[]', at: RECEIVED - 86_400_000, snapshotId: snap });
  }
}

const LOGINS = `kind = 'session' AND action IN ('login', 'session.start')`;
const END = Date.UTC(2026, 10, 22);
const ctx = (): PopulationContext => ({
  roster: new RosterIndex(parseRosterYaml('accounts: []\n', 'roster.yaml')),
  inventory: new Map(DEVICES.map((name) => [name, { name, platform: 'cisco-ios', groups: [] }])),
  dormantDays: 90, from: END - 30 * 86_400_000, to: END,
});

/** Each account's latest login as every reader sees it, and as the records say it is (a scan of events). */
function logins(d: Db): { readers: unknown; truth: unknown } {
  const keys = DEVICES.flatMap((device) => [...USERS, 'never'].map((name) => ({ device, name })));
  const truthOf = (device: string, name: string, to = END): { id: number; time: number; actor_address: string } | undefined =>
    d.prepare(`SELECT id, time, actor_address FROM events NOT INDEXED WHERE ${LOGINS} AND device = ? AND actor = ? AND time <= ? ORDER BY time DESC, id DESC LIMIT 1`).get(device, name, to) as
      { id: number; time: number; actor_address: string } | undefined;
  const present = new Map([...presentAccounts(d)].map((a) => [`${a.device}/${a.name}`, a.lastLogin?.time ?? null]));
  const rows = new Map([...population(d, ctx())].map((r) => [`${r.device}/${r.account}`, r.lastLogin]));
  const midway = Date.UTC(2026, 10, 21, 22, 12);
  return {
    readers: keys.map(({ device, name }) => ({
      key: `${device}/${name}`, present: present.get(`${device}/${name}`), row: rows.get(`${device}/${name}`),
      attribution: lastLoginOf(d, device, name, 0, midway)?.id ?? null,
    })),
    truth: keys.map(({ device, name }) => ({
      key: `${device}/${name}`, present: truthOf(device, name)?.time ?? null, row: truthOf(device, name)?.time ?? null,
      attribution: truthOf(device, name, midway)?.id ?? null,
    })),
  };
}

describe('logins kept as a table filled in sorted runs', () => {
  it('every reader finds each account’s latest login before a move, part way through one, after it, and with a new tail', () => {
    db = openDatabase(join(tempDir(), 'a.db'));
    pulled(db);
    const store = new BatchStore(db, 10);
    write(store, 60, 10);
    const stored = db.prepare(`SELECT count(*) FROM events WHERE ${LOGINS}`).pluck().get() as number;
    expect(stored).toBe(120);
    // Attribution reads the table alone (the account records it takes are those up to the last
    // move): before any move it finds nothing; every other reader reads the tail too.
    const before = logins(db);
    expect((before.readers as Array<{ attribution: number | null }>).every((r) => r.attribution === null)).toBe(true);
    const strip = (x: unknown): unknown => (x as Array<Record<string, unknown>>).map(({ attribution: _, ...r }) => r);
    expect(strip(before.readers)).toEqual(strip(before.truth));

    // A small step: the logins of the first 30 records moved, the others in the tail.
    const mover = new IndexMover(db, undefined, 30);
    do mover.moveStep();
    while ((db.prepare('SELECT count(*) FROM events_by_login').pluck().get() as number) === 0 && mover.inProgress());
    const part = db.prepare('SELECT count(*) FROM events_by_login').pluck().get() as number;
    expect(part).toBeGreaterThan(0);
    expect(part).toBeLessThan(stored);
    const during = logins(db);
    expect(strip(during.readers)).toEqual(strip(during.truth));

    mover.moveAll();
    expect(db.prepare('SELECT count(*) FROM events_by_login').pluck().get()).toBe(stored);
    const after = logins(db);
    expect(after.readers).toEqual(after.truth);

    // Logins stored after the move, some stamped earlier than moved ones (out of order): the tail
    // holds the latest for some accounts, the table for others.
    write(store, 9, 8);
    write(store, 9, 40);
    expect(mover.unmoved()).toBeGreaterThan(0);
    const tail = logins(db);
    expect(strip(tail.readers)).toEqual(strip(tail.truth));
    mover.moveAll();
    const moved = logins(db);
    expect(moved.readers).toEqual(moved.truth);
    expect(db.prepare('SELECT count(*) FROM events_by_login').pluck().get()).toBe(db.prepare(`SELECT count(*) FROM events WHERE ${LOGINS}`).pluck().get());
  });

  it('the population names the address of the session that made an account, from the table or the tail', () => {
    db = openDatabase(join(tempDir(), 'a.db'));
    const store = new BatchStore(db, 10);
    const lines = [
      login(1, 10, 0, 'jdoe', '10.9.9.9'),
      `<189>2: *Nov 21 22:11:00.123 UTC: %PARSER-5-CFGLOG_LOGGEDCMD: User:jdoe  logged command:username temp privilege 15 secret 0 hunter2hunter2`,
    ];
    for (const b of batchesFor(lines, { receivedAt: RECEIVED })) store.write(b);
    const created = (): unknown => [...population(db!, ctx())].map((r) => [r.account, r.createdBy, r.createdFrom]);
    expect(created()).toEqual([['temp', 'jdoe', '10.9.9.9']]);
    new IndexMover(db).moveAll();
    expect(db.prepare('SELECT count(*) FROM events_by_login').pluck().get()).toBe(1);
    expect(created()).toEqual([['temp', 'jdoe', '10.9.9.9']]);
  });

  it('retention removes the entries of the logins it removes', () => {
    db = openDatabase(join(tempDir(), 'a.db'));
    write(new BatchStore(db, 10), 20, 10);
    new IndexMover(db).moveAll();
    expect(db.prepare('SELECT count(*) FROM events_by_login').pluck().get()).toBe(40);
    expect(applyRetention(db, 1, RECEIVED + 2 * 86_400_000).events).toBe(80);
    expect(db.prepare('SELECT count(*) FROM events_by_login').pluck().get()).toBe(0);
  });

  it('a purge that rewrites a login’s actor rewrites its entry, moved or not', () => {
    db = openDatabase(join(tempDir(), 'a.db'));
    pulled(db);
    const store = new BatchStore(db, 10);
    write(store, 12, 10);
    new IndexMover(db).moveAll();
    write(store, 6, 20);
    expect(purgeStored(db, valueSelection(['jdoe']), { by: 'carol', reason: 'the name was a key', at: Date.now() })).toBeDefined();
    expect(db.prepare("SELECT count(*) FROM events WHERE actor = 'jdoe'").pluck().get()).toBe(0);
    expect(db.prepare("SELECT count(*) FROM events_by_login WHERE actor = 'jdoe'").pluck().get()).toBe(0);
    const renamed = db.prepare(`SELECT DISTINCT actor FROM events WHERE ${LOGINS} AND actor NOT IN ('asmith', 'bg')`).pluck().all() as string[];
    expect(renamed).toHaveLength(1);
    new IndexMover(db).moveAll();
    expect(db.prepare('SELECT count(*) FROM events_by_login WHERE actor = ?').pluck().get(renamed[0])).toBe(db.prepare('SELECT count(*) FROM events WHERE actor = ? AND kind = ?').pluck().get(renamed[0], 'session'));
    const after = logins(db);
    expect(after.readers).toEqual(after.truth);
    expect(verifyChain(db).ok).toBe(true);
  });

  it('migrates a store with logins without copying them: events_logins is gone, the moves fill the table, readers agree before and after', () => {
    const { path, old } = storeBefore(loginIndex);
    write(new BatchStore(old, 10), 20, 10);
    // Part of it moved into the device and actor tables, as a running store leaves it.
    new IndexMover(old, [{ name: 'device', table: 'events_by_device', columns: ['device', 'time'] }], 20).moveStep();
    old.close();

    db = openDatabase(path);
    pulled(db);
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'events_logins'").pluck().get()).toBe(0);
    // Nothing copied by the migration (serve listens first): the logins are read from the tail.
    expect(db.prepare('SELECT count(*) FROM events_by_login').pluck().get()).toBe(0);
    // Attribution reads the table alone (reconciliation takes account records only up to the last
    // move, so none until the moves are done); every other reader reads the tail.
    const unmoved = logins(db);
    expect((unmoved.readers as Array<{ attribution: number | null }>).every((r) => r.attribution === null)).toBe(true);
    const strip = (x: unknown): unknown => (x as Array<Record<string, unknown>>).map(({ attribution: _, ...r }) => r);
    expect(strip(unmoved.readers)).toEqual(strip(unmoved.truth));
    const mover = new IndexMover(db);
    expect(mover.unmoved()).toBe(80);
    mover.moveAll();
    expect(db.prepare('SELECT count(*) FROM events_by_login').pluck().get()).toBe(40);
    expect(db.prepare('SELECT count(*) FROM events_by_device').pluck().get()).toBe(80);
    const moved = logins(db);
    expect(moved.readers).toEqual(moved.truth);
    expect(verifyChain(db).ok).toBe(true);
  });
});
