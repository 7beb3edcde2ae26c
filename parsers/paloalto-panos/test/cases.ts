// Every line of test/corpus/syslog/paloalto-panos/*.log and what it must yield (see test/parsers/cases/types.ts).

import type { CorpusCase } from '../../../test/parsers/cases/types.js';

const F = 'syslog/paloalto-panos/elastic-panos-config.log';

export const files = [F];

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
];
