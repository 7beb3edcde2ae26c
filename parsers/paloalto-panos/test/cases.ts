// Every line of test/corpus/syslog/paloalto-panos/*.log and what it must yield (see test/parsers/cases/types.ts).

import type { CorpusCase } from '../../../test/parsers/cases/types.js';

import { none } from '../../../test/tools/corpus-cases.js';

const F = 'syslog/paloalto-panos/elastic-panos-config.log';
const METRON = 'syslog/paloalto-panos/metron-PaloAltoOutput';

export const files = [F, METRON];

// The lines have no syslog header: time is the high-resolution timestamp at the end of each
// record, device the record's device name.
const web = (time: string, command: string) => ({
  kind: 'command', action: 'command', time, device: 'PA-VM', actor: 'admin', actorAddress: '81.2.69.193', path: 'gui', command,
}) as const;

export const cases: CorpusCase[] = [
  { file: F, line: 1, expect: [web('2023-10-25T19:25:39.421Z', 'set config shared log-settings iptag match-list ip-tag')] },
  { file: F, line: 2, expect: [web('2023-10-25T19:25:19.421Z', 'set config shared log-settings globalprotect match-list globalProtect')] },
  { file: F, line: 3, expect: [web('2023-10-04T07:52:10.421Z', 'set vsys vsys1 rulebase security rules reset-adult')] },
  { file: F, line: 4, expect: [web('2023-10-04T07:50:28.421Z', 'move vsys vsys1 rulebase security rules block-81.2.69.193')] },
  { file: F, line: 5, expect: [], note: 'Result Failed: the override changed nothing' },
  {
    file: F, line: 6, expect: [web('2024-02-29T15:59:40.421Z', 'edit vsys vsys1 address test123')],
    note: 'quoted before/after details with commas inside',
  },

  // Apache Metron's sample PAN-OS output: a header, and the year only in the body (the header's is inferred).
  ...none(METRON, [1, 2], 'THREAT and TRAFFIC logs'),
  {
    file: METRON, line: 3,
    note: 'an administrator saving a log query in the web UI: `preferences` under their own entry, a command and no account change',
    expect: [{
      kind: 'command', action: 'command', time: '2026-03-24T18:36:14.000Z', device: 'PAN1.exampleCustomer.com', actor: 'HarryPotter',
      actorAddress: '10.255.255.255', path: 'gui', command: 'set config mgt-config users HarryPotter preferences saved-log-query traffic Change-Mar25',
    }],
  },
  {
    file: METRON, line: 4,
    note: 'SYSTEM `general`: a web UI login',
    expect: [{ kind: 'session', action: 'login', time: '2026-03-25T00:00:56.000Z', device: 'PAN1.exampleCustomer.com', actor: 'HarryPotter', actorAddress: '10.255.255.255', path: 'gui' }],
  },
];
