// SonicWall SonicOS: its corpus cases, the login message ids, and hostile input. Written lines use
// the corpus's key=value form with invented values.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { platformById } from '../../index.js';
import { expectRecords, recogniser } from '../../../test/parsers/harness.js';
import { corpusPath } from '../../../test/support/corpus.js';
import { platformCaseProblems } from '../../../test/tools/corpus-cases.js';
import { sonicwallSonicos } from '../index.js';
import { recognise } from '../syslog.js';
import { cases, files } from './cases.js';

describe('sonicwall-sonicos', () => {
  it('is found in its folder and yields what its corpus cases say', () => {
    expect(platformById('sonicwall-sonicos')).toBe(sonicwallSonicos);
    expect(platformCaseProblems(sonicwallSonicos, files, cases)).toEqual([]);
  });

  it('reads an allowed login with its user, and nothing from other ids', () => {
    const run = recogniser(recognise, 'sonicwall-sonicos');
    expectRecords(run('<134>id=fw1 sn=0017C5000000 time="2026-11-21 22:10:01 UTC" fw=192.0.2.1 pri=6 c=32 m=29 msg="Administrator login allowed" usr="admin" src=192.0.2.9:443:X0 dst=192.0.2.1:443:X0').records, [
      { kind: 'session', action: 'login', actor: 'admin', actorAddress: '192.0.2.9', device: 'fw1' },
    ]);
    expect(run('<134>id=fw1 sn=0017C5000000 time="2026-11-21 22:10:01 UTC" fw=192.0.2.1 pri=6 c=262144 m=98 msg="Connection Opened" src=192.0.2.9:1:X0').records).toEqual([]);
  });

  // The firewall's `time=` in its two forms (`… UTC` in the wazuh corpus lines, its local wall clock
  // in Elastic's), the default syslog name `id=firewall` that both corpora's lines carry from
  // different serial numbers, and the logout ids of Elastic's web session; values invented.
  it('dates a line by the firewall\'s own clock, names a default-named firewall by its address, reads logouts', () => {
    const run = recogniser(recognise, 'sonicwall-sonicos', { zoneFor: () => 'Europe/Berlin' });
    const bare = (id: string, time: string, m: string) => `id=${id} sn=0017C5000000 time="${time}" fw=192.0.2.1 pri=6 c=16 m=${m} msg="x" sess="Web" usr="admin" src=192.0.2.9::X0`;
    expectRecords(run(bare('firewall', '2022-04-27 10:24:23 UTC', '29'), '198.51.100.4').records, [
      { kind: 'session', action: 'login', actor: 'admin', actorAddress: '192.0.2.9', path: 'gui', device: '198.51.100.4', time: '2022-04-27T10:24:23.000Z' },
    ]);
    expectRecords(run(bare('fw-east', '2022-04-27 10:32:51', '998'), '198.51.100.4').records, [
      { kind: 'session', action: 'logout', device: 'fw-east', time: '2022-04-27T08:32:51.000Z' },
    ]);
    expectRecords(run(bare('fw-east', '2022-04-27 10:32:51', '262')).records, [{ kind: 'session', action: 'logout', device: 'fw-east' }]);
    expect(run(bare('fw-east', '2022-04-27 10:24:23', '994')).records).toEqual([]);
  });

  it('never throws on hostile text', () => {
    const run = recogniser(recognise, 'sonicwall-sonicos');
    const hostile = readFileSync(corpusPath('hostile-strings.txt'), 'utf8').split('\n').filter(Boolean);
    for (const h of [...hostile, '='.repeat(50_000)]) {
      expect(() => run(`id=${h} sn=${h} m=30 msg="${h}" usr="${h}" src=${h}`)).not.toThrow();
    }
  });
});
