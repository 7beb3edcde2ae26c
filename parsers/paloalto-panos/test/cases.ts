// Every line of test/corpus/syslog/paloalto-panos/*.log and what it must yield (see test/parsers/cases/types.ts).

import type { CorpusCase } from '../../../test/parsers/cases/types.js';

import { none } from '../../../test/tools/corpus-cases.js';

const F = 'syslog/paloalto-panos/elastic-panos-config.log';
const METRON = 'syslog/paloalto-panos/metron-PaloAltoOutput';

// probe-syslog3 (2026-12-07): Sekoia's PAN-OS CONFIG tests of an administrator account (a later
// PAN-OS's line: the high-resolution stamp, then the entry's XPath).
const SEKOIA = 'syslog/paloalto-panos/sekoia-paloalto-ngfw-config-user.relevant';
export const files = [F, METRON, SEKOIA];

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
  ...[1, 3].map((line): CorpusCase => ({
    file: SEKOIA, line,
    note: line === 1 ? 'an administrator account set from the web UI; the time is the high-resolution stamp (+02:00), the device the name before it' : '`edit` with its before and after details: the account set again',
    expect: [
      { kind: 'command', action: 'command', time: '2026-09-07T13:17:12.218Z', device: 'FW-EXAMP001', actor: 'A123456', actorAddress: '198.51.100.52', path: 'gui', command: `${line === 1 ? 'set' : 'edit'} config mgt-config users createduser` },
      { kind: 'account', action: 'account.set', time: '2026-09-07T13:17:12.218Z', device: 'FW-EXAMP001', actor: 'A123456', actorAddress: '198.51.100.52', path: 'gui', target: 'createduser', technique: 'T1136.001' },
    ],
  })),
  { file: SEKOIA, line: 2, expect: [], note: 'a `delete` that Failed: nothing changed' },
];
