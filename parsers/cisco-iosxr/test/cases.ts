// Every line of test/corpus/syslog/cisco-iosxr/ and what it must yield (see test/parsers/cases/types.ts).
// parsers/cisco-iosxr/test/cisco-iosxr.test.ts covers each message type further with fixtures written
// from the vendor's documented formats.

import type { CorpusCase } from '../../../test/parsers/cases/types.js';
import { none } from '../../../test/tools/corpus-cases.js';

const NCS = 'syslog/cisco-iosxr/xrdocs-ncs5500-port-range-commit.log';

export const files = [NCS];

export const cases: CorpusCase[] = [
  // An NCS 5500 printing its log to the terminal during a commit: stamps without milliseconds or
  // zone, which IOS-XR ends with ` : ` (its spaced colon), not `: `.
  ...none(NCS, [1, 2, 3, 4, 5, 6, 7], 'interface state changes on a line card: no account, no command'),
  {
    file: NCS, line: 8,
    note: 'the commit, with the zoneless stamp the device prints (no device name: the line was copied from a terminal)',
    expect: [{
      kind: 'command', action: 'command', time: '2026-02-02T22:37:57.000Z', device: 'unknown', actor: 'root', path: undefined,
      command: "Configuration committed by user 'root'. Use 'show configuration commit changes 1000000037' to view the changes.",
    }],
  },
];
