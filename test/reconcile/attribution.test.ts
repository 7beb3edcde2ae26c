// Attribution, without I/O: records read from real-format lines by aaawatch's own reader (IOS
// archive logging and logins as Cisco documents them; tac_plus accounting in the tab-separated
// layout of the corpus's tac_plus file, with the command the foundation issue names), held
// against changes seen between two pulls.

import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { createReader } from '../../src/ingest/service.js';
import { attributeChange, attributeRecord, type Candidates, type ObservedChange } from '../../src/reconcile/attribution.js';
import type { StoredRecord } from '../../src/reconcile/model.js';
import { parseRosterYaml } from '../../src/reconcile/roster.js';
import { iosLine } from './support.js';

const config = configSchema.parse({ devices: [{ name: 'core-sw1', address: '10.1.1.2', platform: 'cisco-ios', groups: ['core'] }] });
const DEVICE = { name: 'core-sw1', platform: 'cisco-ios', groups: ['core'] };
const T = Date.UTC(2026, 10, 20, 14, 2, 11);
const MIN = 60_000;

/** Records as the store gives them back, read from lines by the ingest reader. */
function records(lines: Array<[string, string | undefined]>): StoredRecord[] {
  const { reader } = createReader(config, []);
  let id = 100;
  return lines.flatMap(([text, source]) =>
    reader.read(text, false, source, 'udp', T).records.map((r) => {
      const { ref: _ref, time, ...rest } = r;
      return { ...rest, id: id++, time: Date.parse(time) } as StoredRecord;
    }),
  );
}

const ios = (t: number, tag: string, text: string): [string, undefined] => [iosLine(1, 'core-sw1', t, tag, text), undefined];
const tacPlus = (t: number, fields: string): [string, string] => [`${new Date(t).toISOString().slice(0, 19).replace('T', ' ')} +0000\t10.1.1.2\t${fields}`, '192.0.2.20'];
const windows = parseRosterYaml('changeWindows:\n  - { name: core upgrade, ticket: CHG0012345, start: 2026-11-20T13:00:00Z, end: 2026-11-20T17:00:00Z }\n', 'r.yaml').windows;

function change(over: Partial<ObservedChange> = {}): ObservedChange {
  return {
    changeId: 1, accountId: 1, kind: 'added', device: DEVICE, account: 'bob', after: { privilege: '15', roles: [], credentials: ['secret'] },
    seenAt: T + 20 * MIN, previousPullAt: T - 40 * MIN, snapshots: [3, 4], ...over,
  };
}

function split(all: StoredRecord[]): Candidates {
  return {
    account: all.filter((r) => r.kind === 'account'),
    sessions: all.filter((r) => r.kind !== 'account'),
    configuration: [],
  };
}

describe('an account that appeared between two pulls', () => {
  it('the device log and TACACS+ accounting of the same change, the session giving the address: one sentence', () => {
    const all = records([
      ios(T - 3 * MIN, 'SEC_LOGIN-5-LOGIN_SUCCESS', 'Login Success [user: jdoe] [Source: 10.1.2.3] [localport: 22] at 14:59:11 UTC Fri Nov 20 2026'),
      tacPlus(T - 3 * MIN, 'jdoe\tssh\t10.1.2.3\tstart\ttask_id=128\ttimezone=UTC\tservice=shell'),
      tacPlus(T, 'jdoe\tssh\t10.1.2.3\tstop\ttask_id=129\ttimezone=UTC\tservice=shell\tpriv-lvl=15\tcmd=username bob privilege 15 secret <cr>'),
      ios(T + 500, 'PARSER-5-CFGLOG_LOGGEDCMD', 'User:jdoe  logged command:username bob privilege 15 secret *'),
    ]);
    expect(all.filter((r) => r.kind === 'account').map((r) => [r.device, r.platform, r.action])).toEqual([
      ['core-sw1', 'tac-plus', 'account.create'],
      // The reader has learnt bob from the AAA server's record, so the device's own is a modification.
      ['core-sw1', 'cisco-ios', 'account.modify'],
    ]);
    const a = attributeChange(change(), split(all), windows);
    expect(a.sentence).toBe(
      'bob (privilege 15) on core-sw1 created 2026-11-20 14:02 UTC by jdoe from 10.1.2.3 over CLI, recorded by device log and TACACS+ accounting, inside change window "core upgrade" (ticket CHG0012345)',
    );
    expect(a).toMatchObject({ explained: true, ambiguous: false, actor: 'jdoe', actorAddress: '10.1.2.3', path: 'cli' });
    expect(a.evidence.snapshots).toEqual([3, 4]);
    // The evidence: both account records, the command records of the same change, and jdoe's session.
    const ids = (pick: (r: StoredRecord) => boolean): number[] => all.filter(pick).map((r) => r.id);
    expect(a.evidence.events).toEqual(expect.arrayContaining([...ids((r) => r.kind === 'account'), ...ids((r) => r.kind === 'command')]));
    expect(a.evidence.events.filter((id) => ids((r) => r.kind === 'session').includes(id))).toHaveLength(1);
  });

  it('records by two people fit: the latest is named, the other listed', () => {
    const all = records([
      ios(T - 10 * MIN, 'PARSER-5-CFGLOG_LOGGEDCMD', 'User:alice  logged command:username bob privilege 15 secret *'),
      ios(T, 'PARSER-5-CFGLOG_LOGGEDCMD', 'User:jdoe  logged command:username bob privilege 15 secret *'),
    ]);
    const a = attributeChange(change(), split(all), []);
    expect(a.ambiguous).toBe(true);
    expect(a.sentence).toBe(
      'bob (privilege 15) on core-sw1 created 2026-11-20 14:02 UTC by jdoe over CLI, recorded by device log, outside any change window; several records fit: alice at 2026-11-20 13:52 UTC as well',
    );
  });

  it('the record whose privilege matches what the pull shows is the one named', () => {
    const all = records([
      ios(T - 10 * MIN, 'PARSER-5-CFGLOG_LOGGEDCMD', 'User:jdoe  logged command:username bob privilege 15 secret *'),
      ios(T, 'PARSER-5-CFGLOG_LOGGEDCMD', 'User:jdoe  logged command:username bob privilege 1 secret *'),
    ]);
    expect(attributeChange(change(), split(all), []).at).toBe(T - 10 * MIN);
  });

  it('no record: said so, with the configuration changes seen in the meantime', () => {
    const config = records([ios(T, 'SYS-5-CONFIG_I', 'Configured from console by admin on vty0 (10.1.1.5)')]);
    const a = attributeChange(change(), { account: [], sessions: [], configuration: config }, []);
    expect(a.explained).toBe(false);
    expect(a.sentence).toBe(
      'bob (privilege 15) on core-sw1 appeared between the pulls of 2026-11-20 13:22 UTC and 2026-11-20 14:22 UTC; no record explains it (the configuration was changed by admin, last at 2026-11-20 14:02 UTC, without the command being logged)',
    );
    expect(a.evidence.events).toEqual([config[0]!.id]);
  });

  it('the same person\'s commands about other accounts, seconds apart, are not evidence for this one (the AAA server\'s nor the device\'s)', () => {
    const all = records([
      tacPlus(T - 4000, 'jdoe\tssh\t10.1.2.3\tstop\ttask_id=127\ttimezone=UTC\tservice=shell\tpriv-lvl=15\tcmd=username alice privilege 15 secret <cr>'),
      ios(T - 3500, 'PARSER-5-CFGLOG_LOGGEDCMD', 'User:jdoe  logged command:username alice privilege 15 secret *'),
      ios(T, 'PARSER-5-CFGLOG_LOGGEDCMD', 'User:jdoe  logged command:username bob privilege 15 secret *'),
      tacPlus(T + 2000, 'jdoe\tssh\t10.1.2.3\tstop\ttask_id=129\ttimezone=UTC\tservice=shell\tpriv-lvl=15\tcmd=username carol privilege 15 secret <cr>'),
      tacPlus(T + 3000, 'jdoe\tssh\t10.1.2.3\tstop\ttask_id=130\ttimezone=UTC\tservice=shell\tpriv-lvl=15\tcmd=show running-config | include username bob'),
    ]);
    const bob = all.filter((r) => r.target === 'bob' || (r.kind === 'command' && r.command?.startsWith('username bob')));
    const a = attributeChange(change(), split(all), []);
    expect(a.evidence.events).toEqual(bob.map((r) => r.id));
    // Only the device's log told of bob: the AAA server's records were of alice and carol.
    expect(a.sentence).toBe('bob (privilege 15) on core-sw1 created 2026-11-20 14:02 UTC by jdoe over CLI, recorded by device log, outside any change window');
    const made = all.find((r) => r.kind === 'account' && r.target === 'bob')!;
    expect(attributeRecord(made, DEVICE, split(all), []).evidence.events).toEqual(bob.map((r) => r.id));
  });

  it('hostile names are shown inert', () => {
    const a = attributeChange(change({ account: 'bob\u001b[2J\nroot' }), { account: [], sessions: [], configuration: [] }, []);
    expect(a.sentence).toMatch(/^bob\\u\{1b\}\[2J\\u\{a\}root \(privilege 15\) on core-sw1 appeared/);
  });
});

describe('changes and deletions', () => {
  it('a privilege raised, named with before and after', () => {
    const all = records([ios(T, 'PARSER-5-CFGLOG_LOGGEDCMD', 'User:jdoe  logged command:username bob privilege 15 secret *')]);
    // The reader knows nothing of bob, so its record says create; for a change that still explains it.
    const a = attributeChange(change({ kind: 'changed', before: { privilege: '1', roles: [], credentials: ['secret'] } }), split(all), []);
    expect(a.sentence).toBe('bob on core-sw1 changed (privilege 1 → privilege 15) 2026-11-20 14:02 UTC by jdoe over CLI, recorded by device log, outside any change window');
  });

  it('a role taken away is explained by the record that took it (a relayed `no username bob role …`), not by nothing', () => {
    const revoke = records([tacPlus(T, 'jdoe\tssh\t10.1.2.3\tstop\ttask_id=130\ttimezone=UTC\tservice=shell\tpriv-lvl=15\tcmd=no username bob role network-admin <cr>')]);
    expect(revoke.filter((r) => r.kind === 'account').map((r) => [r.action, r.target, r.role])).toEqual([['privilege.revoke', 'bob', 'network-admin']]);
    const lost = change({ kind: 'changed', before: { privilege: '15', roles: ['network-admin'], credentials: ['secret'] }, after: { privilege: '15', roles: [], credentials: ['secret'] } });
    const a = attributeChange(lost, split(revoke), []);
    expect(a).toMatchObject({ explained: true, actor: 'jdoe', path: 'tacacs' });
    expect(attributeChange(lost, { account: [], sessions: [], configuration: [] }, []).explained).toBe(false);
  });

  it('a deletion needs a deleting record; a creation record does not explain it', () => {
    const create = records([ios(T, 'PARSER-5-CFGLOG_LOGGEDCMD', 'User:jdoe  logged command:username bob privilege 15 secret *')]);
    const removed = change({ kind: 'removed', before: { privilege: '15', roles: [], credentials: ['secret'] }, after: undefined });
    expect(attributeChange(removed, split(create), []).explained).toBe(false);
    const del = records([ios(T, 'PARSER-5-CFGLOG_LOGGEDCMD', 'User:jdoe  logged command:no username bob')]);
    expect(attributeChange(removed, split(del), []).sentence).toBe('bob (privilege 15) on core-sw1 deleted 2026-11-20 14:02 UTC by jdoe over CLI, recorded by device log, outside any change window');
  });

  it('the first pull of a device: "before the first pull"', () => {
    const a = attributeChange(change({ previousPullAt: undefined }), { account: [], sessions: [], configuration: [] }, []);
    expect(a.sentence).toBe('bob (privilege 15) on core-sw1 appeared before the first pull at 2026-11-20 14:22 UTC; no record explains it');
  });
});

describe('a record the moment it is stored', () => {
  it('created, given privilege, added to a group', () => {
    const [create] = records([ios(T, 'PARSER-5-CFGLOG_LOGGEDCMD', 'User:jdoe  logged command:username bob privilege 15 secret *')]).filter((r) => r.kind === 'account');
    expect(attributeRecord(create!, DEVICE, { sessions: [] }, windows).sentence).toBe(
      'bob (privilege 15) on core-sw1 created 2026-11-20 14:02 UTC by jdoe over CLI, recorded by device log, inside change window "core upgrade" (ticket CHG0012345)',
    );
    const given = { ...create!, action: 'account.modify' };
    expect(attributeRecord(given, DEVICE, { sessions: [] }, []).sentence).toBe('bob on core-sw1 given privilege 15 2026-11-20 14:02 UTC by jdoe over CLI, recorded by device log, outside any change window');
  });
});

describe('hostile strings from the corpus', () => {
  it('come out of sentences without control characters, one line each', async () => {
    const { readFileSync } = await import('node:fs');
    const { corpusPath } = await import('../support/corpus.js');
    const hostile = readFileSync(corpusPath('hostile-strings.txt'), 'utf8').split('\n').filter((l) => l.length > 0);
    for (const h of hostile) {
      const [r] = records([ios(T, 'PARSER-5-CFGLOG_LOGGEDCMD', 'User:jdoe  logged command:username bob privilege 15 secret *')]).filter((x) => x.kind === 'account');
      const a = attributeRecord({ ...r!, target: h, actor: h, actorAddress: h }, { ...DEVICE, name: h }, { sessions: [] }, []);
      expect(a.sentence, h).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028-\u202e\u2066-\u2069]/);
    }
  });
});
