// Native accounting in reconciliation's view of a device: what the receivers stored (the
// native_senders rows the writer keeps) becomes DeviceInfo.lastNative, which evaluate reads.

import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { deviceInfo } from '../../src/reconcile/store.js';
import { BatchStore } from '../../src/store/batch-store.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { tempDir } from '../support/temp.js';

let db: Db | undefined;
let dir: string | undefined;
afterEach(() => {
  db?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  db = undefined;
  dir = undefined;
});

const batch = (native: Array<{ source: string; device: string; at: number; accepted: number; badKey: number }>) => ({
  records: [], messages: [], hour: 0, traffic: [], rejects: [], unknowns: [], activity: [], counters: [], gauges: [],
  native: native.map((n) => ({
    transport: 'tacacs', source: n.source, device: n.device, first: n.at, last: n.at, accepted: n.accepted, lastAccepted: n.accepted ? n.at : null,
    badKey: n.badKey, lastBadKey: n.badKey ? n.at : null, refused: 0, named: 0, lastNamed: null, malformed: 0, lastMalformed: null, lastMalformedReason: null,
  })),
});

describe('native accounting senders', () => {
  it('are kept per sender across batches, and give reconciliation the device\'s last accepted request', () => {
    const made = tempDir();
    dir = made;
    db = openDatabase(join(made, 'a.db'));
    const store = new BatchStore(db, 10);
    store.write(batch([{ source: '10.0.0.1', device: 'core-sw1', at: 1000, accepted: 0, badKey: 2 }]));
    store.write(batch([{ source: '10.0.0.1', device: 'core-sw1', at: 2000, accepted: 5, badKey: 0 }, { source: '10.0.0.2', device: 'edge', at: 1500, accepted: 0, badKey: 1 }]));
    expect(db.prepare('SELECT source, device, first_seen, last_seen, accepted, last_accepted, bad_key, last_bad_key FROM native_senders ORDER BY source').all()).toEqual([
      { source: '10.0.0.1', device: 'core-sw1', first_seen: 1000, last_seen: 2000, accepted: 5, last_accepted: 2000, bad_key: 2, last_bad_key: 1000 },
      { source: '10.0.0.2', device: 'edge', first_seen: 1500, last_seen: 1500, accepted: 0, last_accepted: null, bad_key: 1, last_bad_key: 1500 },
    ]);
    const info = deviceInfo(db, [{ name: 'core-sw1', platform: 'cisco-ios', groups: [] }, { name: 'edge', platform: 'cisco-ios', groups: [] }]);
    expect(info.get('core-sw1')!.lastNative).toBe(2000);
    // A sender heard only with a wrong key is not native accounting that works.
    expect(info.get('edge')!.lastNative).toBeUndefined();
  });
});
