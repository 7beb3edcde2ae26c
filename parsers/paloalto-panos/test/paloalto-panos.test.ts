import { describe, expect, it } from 'vitest';
import { recognise } from '../syslog.js';
import { platformById } from '../../index.js';
import { cases, files } from './cases.js';
import { checkCorpus, recogniser } from '../../../test/parsers/harness.js';

const P = 'paloalto-panos';
const run = (line: string) => recogniser(recognise, P)(line);
const T = '2026-11-21T22:10:01.000Z';
const base = { platform: P, device: 'fw-edge', time: T };

// Fixtures written for these tests in the field order of the PAN-OS "Config Log Fields" syslog
// reference, with and without the before/after change details; names and addresses invented.
const config = (cmd: string, admin: string, client: string, result: string, path: string, details = '') =>
  `<14>Nov 21 22:10:01 fw-edge 1,2026/11/21 22:10:01,012801000001,CONFIG,0,2561,2026/11/21 22:10:01,192.0.2.44,,${cmd},${admin},${client},${result}, ${path},${details}7304387121517691189,0x0,0,0,0,0,,fw-edge,0,,0,2026-11-21T22:10:01.123+00:00`;

describe('paloalto-panos corpus', () => {
  it('yields the expected records for every corpus line', () => {
    checkCorpus(recognise, P, files, cases);
  });
});

describe('paloalto-panos administrator accounts (mgt-config users)', () => {
  it('yields a command and an account.set for an administrator set from the web UI', () => {
    expect(run(config('set', 'netadmin', 'Web', 'Succeeded', 'config mgt-config users  bob')).records).toEqual([
      { ...base, kind: 'command', action: 'command', actor: 'netadmin', actorAddress: '192.0.2.44', path: 'gui', command: 'set config mgt-config users bob' },
      {
        ...base, kind: 'account', action: 'account.set', target: 'bob', actor: 'netadmin', actorAddress: '192.0.2.44', path: 'gui',
        technique: 'T1136.001', command: 'set config mgt-config users bob',
      },
    ]);
  });

  it('reads the role from the after-change detail, and redacts the password hash', () => {
    const details = '"bob { permissions { role-based { deviceadmin { localhost.localdomain; } } } phash $1$abcd$SaltedHash; }","bob { permissions { role-based { superuser yes; } } phash $1$abcd$SaltedHash; }",';
    const { records } = run(config('edit', 'netadmin', 'CLI', 'Succeeded', 'config mgt-config users  bob', details));
    expect(records[1]).toMatchObject({ action: 'account.set', target: 'bob', role: 'superuser', path: 'cli' });
    expect(JSON.stringify(records)).not.toContain('SaltedHash');
  });

  it('deletes an administrator, modifies one when a part of it is deleted', () => {
    expect(run(config('delete', 'netadmin', 'Web', 'Succeeded', 'config mgt-config users  bob')).records[1]).toMatchObject({ action: 'account.delete', target: 'bob', technique: 'T1531' });
    expect(run(config('delete', 'netadmin', 'Web', 'Succeeded', 'config mgt-config users  bob permissions')).records[1]).toMatchObject({ action: 'account.modify', target: 'bob' });
  });

  it('reads local user database users, and labels XML API changes with the rest path', () => {
    expect(run(config('set', 'automation', 'XML API', 'Succeeded', 'config shared local-user-database user  alice')).records[1])
      .toMatchObject({ action: 'account.set', target: 'alice', path: 'rest', actor: 'automation' });
  });

  it('keeps an administrator\'s web UI preferences out of the account record, set or deleted', () => {
    for (const verb of ['set', 'delete']) {
      expect(run(config(verb, 'bob', 'Web', 'Succeeded', 'config mgt-config users  bob preferences saved-log-query traffic q1')).records.map((r) => r.kind)).toEqual(['command']);
    }
    // A user named `preferences` is still a user.
    expect(run(config('set', 'netadmin', 'Web', 'Succeeded', 'config mgt-config users  preferences')).records[1]).toMatchObject({ action: 'account.set', target: 'preferences' });
  });

  it('yields nothing for operations that failed or were refused', () => {
    expect(run(config('set', 'netadmin', 'Web', 'Failed', 'config mgt-config users  bob')).records).toEqual([]);
    expect(run(config('set', 'intern', 'Web', 'Unauthorized', 'config mgt-config users  bob')).records).toEqual([]);
  });

  it.each([
    'config shared log-settings syslog  username-logs',
    'deviceconfig system hostname',
    'config shared authentication-profile  aaa',
  ])('yields only a command record for a change on `%s`', (path) => {
    expect(run(config('set', 'aaa', 'Web', 'Succeeded', path)).records.map((r) => r.kind)).toEqual(['command']);
  });

  it('yields a web or CLI login from the SYSTEM log, and nothing from its other descriptions', () => {
    // The SYSTEM field order of the PAN-OS "System Log Fields" reference; the sentence as the corpus's line has it.
    const system = (description: string) =>
      `<14>Nov 21 22:10:01 fw-edge 1,2026/11/21 22:10:01,012801000001,SYSTEM,general,0,2026/11/21 22:10:01,,general,,0,0,general,informational,${description},1234,0x0,0,0,0,0,,fw-edge,0,0,2026-11-21T22:10:01.123+00:00`;
    expect(run(system('User netadmin logged in via CLI from 192.0.2.44')).records).toEqual([
      { ...base, kind: 'session', action: 'login', actor: 'netadmin', actorAddress: '192.0.2.44', path: 'cli' },
    ]);
    expect(run(system('Connection to Update server closed: updates.paloaltonetworks.com, source: 192.0.2.1'))).toEqual({ records: [], unknown: [] });
    expect(run(system('"User netadmin logged in via Web from 192.0.2.44 using https, then x"'))).toEqual({ records: [], unknown: [] });
  });

  it('leaves other log types alone', () => {
    expect(run('<14>Nov 21 22:10:01 fw-edge 1,2026/11/21 22:10:01,012801000001,TRAFFIC,end,2561,2026/11/21 22:10:01,192.0.2.10,198.51.100.7,0.0.0.0,0.0.0.0,allow-web,,,ssl,vsys1,trust,untrust'))
      .toEqual({ records: [], unknown: [] });
  });

  it('is registered as the paloalto-panos platform', () => {
    expect(platformById(P)?.recognise).toBe(recognise);
  });
});
