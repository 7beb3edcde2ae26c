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

  it('never throws on hostile text', () => {
    const run = recogniser(recognise, 'sonicwall-sonicos');
    const hostile = readFileSync(corpusPath('hostile-strings.txt'), 'utf8').split('\n').filter(Boolean);
    for (const h of [...hostile, '='.repeat(50_000)]) {
      expect(() => run(`id=${h} sn=${h} m=30 msg="${h}" usr="${h}" src=${h}`)).not.toThrow();
    }
  });
});
