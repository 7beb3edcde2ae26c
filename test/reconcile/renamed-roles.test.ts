// A rename's making is judged on what its old name held (judge.ts judgedAsRenamed), its roles folded
// by what they are (privilege.ts roleRule), as the Accounts row folds them: a pull read Junos
// `ops-custom (permissions all)`, syslog names the class bare. A bare class taken away took nothing
// (the making was judged on the pulled class, full administration), and a bare class re-stated was
// held twice (the pulled one judged, citing no record).

import { describe, expect, it } from 'vitest';
import { judgedAsRenamed, type CreationGroup } from '../../src/reconcile/judge.js';
import type { StoredRecord } from '../../src/reconcile/model.js';
import type { OldLife } from '../../src/reconcile/renames.js';
import type { DeviceRef } from '../../src/reconcile/scope.js';

const T = Date.UTC(2026, 10, 20, 9, 0);
const devices = new Map<string, DeviceRef>([['mx1', { name: 'mx1', platform: 'juniper-junos', groups: [] }]]);
const record = (id: number, action: string, target: string, extra: Partial<StoredRecord> = {}): StoredRecord =>
  ({ id, kind: 'account', action, time: T + id * 1000, device: 'mx1', platform: 'juniper-junos', actor: 'mallory', target, ...extra });

/** ops1 pulled in ops-custom (permissions all), its records since, then renamed to ops2 (the making judged). */
function judged(records: StoredRecord[]): CreationGroup {
  const making = record(100, 'account.create', 'ops2');
  const life: OldLife<StoredRecord> = {
    name: 'ops1',
    rename: { id: 99, time: making.time, target: 'ops1' },
    records,
    pulled: { at: T, facts: { roles: ['ops-custom (permissions all)'], credentials: [] } },
  };
  return judgedAsRenamed({ judged: making, ids: [100] }, [life], devices);
}

describe('a rename judged on its old name\'s roles', () => {
  it('a bare class taken away takes the pulled one: the making grants nothing', () => {
    const group = judged([record(1, 'privilege.revoke', 'ops1', { role: 'ops-custom' })]);
    expect(group.judged.role).toBeUndefined();
    expect(group.ids).toEqual([100]);
  });

  it('a bare class re-stated is the pulled one, cited by the record that re-stated it', () => {
    const group = judged([record(1, 'account.modify', 'ops1', { role: 'ops-custom' })]);
    expect(group.judged.role).toBe('ops-custom (permissions all)');
    expect(group.ids).toEqual([100, 1]);
  });
});
