// Every line of test/corpus/syslog/fortinet-fortios/*.log and what it must yield (see test/parsers/cases/types.ts).

import type { CorpusCase } from '../../../test/parsers/cases/types.js';

const F = 'syslog/fortinet-fortios/psirt-admin-add.log';

export const files = [F];

export const cases: CorpusCase[] = [
  {
    file: F, line: 1,
    expect: [{
      kind: 'account', action: 'account.create', time: '2026-11-21T23:00:00.000Z', device: 'unknown', target: 'vOcep', role: 'super_admin',
      actor: 'admin', actorAddress: '127.0.0.1', path: 'cli', technique: 'T1136.001', command: undefined,
    }],
    note: 'CVE-2024-55591: a super_admin created through the GUI\'s CLI console (jsconsole) from 127.0.0.1; the line as quoted has no header, date or devname',
  },
];
