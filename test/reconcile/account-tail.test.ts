// The unmoved tail of account records as a reconcile connection knows it between reads
// (account-tail.ts AccountTail, held across calls instead of a scan of events_target_tail each
// call): after every write, move, move begun in key ranges by an older version and a tail past its
// bound, the ids it gives for a set of accounts are those the view gives. And a creation step's
// commands naming unnamed accounts read at once (store.ts commandsNamingEach) are commandsNaming's
// of each span, in its order.

import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountTail } from '../../src/reconcile/account-tail.js';
import { loginKey } from '../../src/reconcile/model.js';
import { commandsNaming, commandsNamingEach, namingRecords } from '../../src/reconcile/store.js';
import { BatchStore } from '../../src/store/batch-store.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { IndexMover } from '../../src/store/index-moves.js';
import { rng } from '../bench/profiles.js';
import { batchesFor } from '../support/ingest-batches.js';
import { tempDir } from '../support/temp.js';
import { iosLine } from './support.js';

const MIN = 60_000;
const T0 = Date.parse('2026-11-20T08:00:00Z');
const DEVICES = ['sw1', 'sw2', 'sw3'];
const NAMES = ['jdoe', 'bob', 'carol', 'svc-a', 'temp1'];
const ACCOUNTS = DEVICES.flatMap((d) => [...NAMES, 'nobody'].map((n) => loginKey(d, n)));

describe('the unmoved tail of account records held between reads', () => {
  let db: Db;
  let seq = 0;
  const r = rng(22);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  /** `n` lines: account records and commands, stamps not in the order stored. */
  const write = (n: number): void => {
    const lines = Array.from({ length: n }, () => {
      seq++;
      const t = T0 + Math.floor(r() * 90) * MIN + Math.floor(r() * 3) * 1000;
      const text = r() < 0.3 ? `show running-config | include ${pick(NAMES)}` : r() < 0.2 ? `no username ${pick(NAMES)}` : `username ${pick(NAMES)} privilege 15 secret 0 Pw${seq}`;
      return iosLine(seq, pick(DEVICES), t, 'PARSER-5-CFGLOG_LOGGEDCMD', `User:netops  logged command:${text}`);
    });
    for (const b of batchesFor(lines, { source: '192.0.2.1', receivedAt: T0 })) new BatchStore(db, 100).write(b);
  };
  const view = (accounts: readonly string[]): number[] => {
    const wanted = new Set(accounts);
    return (db.prepare('SELECT id, device, target FROM events_target_tail ORDER BY id').all() as Array<{ id: number; device: string; target: string }>)
      .filter((t) => wanted.has(loginKey(t.device, t.target)))
      .map((t) => t.id);
  };

  beforeAll(() => {
    db = openDatabase(join(tempDir('aaawatch-account-tail-'), 'a.db'));
    write(150);
    new IndexMover(db).moveAll();
  });
  afterAll(() => db.close());

  it('gives the ids the view gives, through writes, moves, an older version\'s key-range move and a tail past its bound', () => {
    // Bound at 60 account records: the tail passes it and comes back under it after a move.
    const tail = new AccountTail(db, 60);
    const some = ACCOUNTS.filter((_, i) => i % 2 === 0);
    const check = (label: string): void => {
      expect(tail.idsOf(ACCOUNTS), label).toEqual(view(ACCOUNTS));
      expect(tail.idsOf(some), label).toEqual(view(some));
    };
    check('moved, empty tail');
    write(40);
    check('a tail');
    write(30);
    check('grown');
    write(60);
    expect(view(ACCOUNTS).length).toBeGreaterThan(60);
    check('past the bound');
    write(10);
    check('still past it');
    new IndexMover(db).moveAll();
    write(20);
    check('moved again, a new tail');
    // A move begun by an older version, cut by device: the run's records below the key are in the table already.
    const head = (db.prepare('SELECT max(id) AS id FROM events').get() as { id: number }).id;
    const moved = (db.prepare(`SELECT moved FROM index_moves WHERE name = 'target'`).get() as { moved: number }).moved;
    db.prepare(`INSERT INTO events_by_target (device, target, time, id, action)
      SELECT device, target, time, id, action FROM events WHERE id > ? AND id <= ? AND kind = 'account' AND target IS NOT NULL AND device < 'sw2'`).run(moved, head);
    db.prepare(`UPDATE index_moves SET upto = ?, key = 'sw2' WHERE name = 'target'`).run(head);
    write(15);
    check('a key-range move under way');
    expect(view(ACCOUNTS).some((id) => id <= head)).toBe(true);
    db.prepare(`UPDATE index_moves SET moved = upto, key = '' WHERE name = 'target'`).run();
    db.prepare(`INSERT INTO events_by_target (device, target, time, id, action)
      SELECT device, target, time, id, action FROM events WHERE id > ? AND id <= ? AND kind = 'account' AND target IS NOT NULL AND device >= 'sw2'`).run(moved, head);
    check('that move done');
  });

  it('reads a tail record as stored now: one whose account name was rewritten (purge-secret) leaves its old account\'s windows', () => {
    write(20);
    const windows = DEVICES.flatMap((device) => NAMES.flatMap((target) => ['account.create', 'account.modify'].map((action) => ({ id: 0, device, target, action, from: T0 - 1, to: T0 + 90 * MIN }))));
    const before = namingRecords(db, windows);
    const moved = (db.prepare(`SELECT moved FROM index_moves WHERE name = 'target'`).get() as { moved: number }).moved;
    const inTail = before.flat().find((rec) => rec.id > moved)!;
    expect(inTail).toBeDefined();
    db.prepare(`UPDATE events SET target = 'purged-name' WHERE id = ?`).run(inTail.id);
    const after = namingRecords(db, windows);
    expect(after.flat().map((rec) => rec.id)).not.toContain(inTail.id);
    expect(after.flat()).toHaveLength(before.flat().length - before.flat().filter((rec) => rec.id === inTail.id).length);
  });

  it('reads the commands naming each span together as commandsNaming reads each', () => {
    const spans = DEVICES.flatMap((device) => [...NAMES, 'nobody'].flatMap((account) => [
      { device, account, from: T0 - 1, to: T0 + 90 * MIN },
      { device, account, from: T0 + 20 * MIN, to: T0 + 40 * MIN },
    ]));
    spans.push({ device: 'sw9', account: 'jdoe', from: T0 - 1, to: T0 + 90 * MIN });
    const got = commandsNamingEach(db, spans);
    expect(got).toHaveLength(spans.length);
    spans.forEach((s, i) => expect(got[i], `span ${i}`).toEqual(commandsNaming(db, s.device, s.account, s.from, s.to)));
    expect(got.flat().length).toBeGreaterThan(20);
    // The spans hold account records, turned away by events_accounts before their rows are read (store.ts NOT_ACCOUNT).
    expect(db.prepare(`SELECT count(*) FROM events_by_device d JOIN events e ON e.id = d.id WHERE e.kind = 'account'`).pluck().get()).toBeGreaterThan(20);
  });
});
