// Native senders' rows under retention, SQLite: each process gives at most MAX_UNVERIFIED_SENDERS
// senders with nothing verified a row, so forged datagrams at every restart would grow the table;
// retention keeps the latest UNVERIFIED_SENDER_ROWS of those, and drops any row last heard before
// the cutoff. The PostgreSQL side is test/store/pg-retention.test.ts's.

import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BatchStore } from '../../src/store/batch-store.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { applyRetention, UNVERIFIED_SENDER_ROWS } from '../../src/store/retention.js';
import { IngestWriter, MAX_UNVERIFIED_SENDERS } from '../../src/store/writer.js';
import { tempDir } from '../support/temp.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 7, 12, 0, 0);

let dir: string;
let db: Db;

beforeEach(() => {
  dir = tempDir();
  db = openDatabase(join(dir, 'a.db'));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** One `serve` process's writer: `senders` wrong-key senders from `first` on, heard at `at` + i ms. */
function process(first: number, senders: number, at: number, extra?: (w: IngestWriter) => void): void {
  const store = new BatchStore(db, 500);
  const writer = new IngestWriter({ write: (b) => void store.write(b) }, { batchRows: 500, batchMillis: 1000, keepRejectedPerReason: 10 });
  for (let i = 0; i < senders; i++) {
    const n = first + i;
    const source = `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
    writer.nativeRequest('radius', source, source, at + i, 'bad-key');
  }
  extra?.(writer);
  writer.flush();
}

const rows = (where = '1'): number => db.prepare(`SELECT count(*) FROM native_senders WHERE ${where}`).pluck().get() as number;

describe('native senders under retention (SQLite)', () => {
  it('keeps the latest unverified senders up to the bound, every verified one heard since the cutoff, and none heard before it', () => {
    // A start that hears a real NAS, a TACACS+ client whose requests were refused (verified: decoded
    // with its key), a NAS and a sender of bad packets last heard 500 days ago; then eleven starts,
    // each with a full bound of new forged senders.
    const starts = 11;
    process(0, 0, NOW, (w) => {
      w.nativeRequest('radius', '192.0.2.1', 'nas1', NOW - 2 * DAY, 'accepted');
      w.nativeRequest('tacacs', '192.0.2.2', 'sw2', NOW - 2 * DAY, 'refused');
      w.nativeRequest('radius', '192.0.2.3', 'nas3', NOW - 500 * DAY, 'accepted');
      w.nativeMalformed('radius', '192.0.2.4', '192.0.2.4', NOW - 500 * DAY, 'radius-bad-length');
    });
    for (let s = 0; s < starts; s++) process(s * MAX_UNVERIFIED_SENDERS, MAX_UNVERIFIED_SENDERS, NOW - DAY + s * 60_000);
    const forged = starts * MAX_UNVERIFIED_SENDERS;
    expect(UNVERIFIED_SENDER_ROWS).toBeLessThan(forged);
    expect(rows()).toBe(forged + 4);

    const r = applyRetention(db, 400, NOW);
    // The two rows heard before the cutoff, then the oldest forged ones past the bound.
    expect(r).toEqual({ events: 0, messages: 0, senders: 2 + (forged - UNVERIFIED_SENDER_ROWS) });
    expect(rows('accepted = 0 AND named = 0 AND refused = 0')).toBe(UNVERIFIED_SENDER_ROWS);
    expect(db.prepare("SELECT transport, source, device FROM native_senders WHERE source LIKE '192.0.2.%' ORDER BY source").all()).toEqual([
      { transport: 'radius', source: '192.0.2.1', device: 'nas1' },
      { transport: 'tacacs', source: '192.0.2.2', device: 'sw2' },
    ]);
    // The forged senders kept are the latest heard: the oldest kept was heard after every one removed.
    const oldestKept = db.prepare("SELECT min(last_seen) FROM native_senders WHERE source LIKE '10.%'").pluck().get() as number;
    const firstStartKept = rows(`source LIKE '10.%' AND last_seen < ${NOW - DAY + 60_000}`);
    expect(firstStartKept).toBe(0);
    expect(oldestKept).toBeGreaterThanOrEqual(NOW - DAY + (starts - UNVERIFIED_SENDER_ROWS / MAX_UNVERIFIED_SENDERS) * 60_000);

    // Nothing more to remove: a second run removes nothing.
    expect(applyRetention(db, 400, NOW).senders).toBe(0);
  });

  it('a sender whose key was wrong, then right, is verified and stays whatever the unverified bound', () => {
    process(0, 1, NOW - DAY);
    // The same sender, fixed: its row now counts accepted requests too.
    process(0, 0, NOW, (w) => w.nativeRequest('radius', '10.0.0.0', '10.0.0.0', NOW, 'accepted'));
    process(1, MAX_UNVERIFIED_SENDERS, NOW);
    expect(rows()).toBe(MAX_UNVERIFIED_SENDERS + 1);
    expect(applyRetention(db, 400, NOW).senders).toBe(0);
    expect(db.prepare("SELECT bad_key, accepted FROM native_senders WHERE source = '10.0.0.0'").get()).toEqual({ bad_key: 1, accepted: 1 });
  });
});
