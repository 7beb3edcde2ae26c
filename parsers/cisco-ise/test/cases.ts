// Every line of the corpus's Cisco ISE file and what it must yield (see test/parsers/cases/types.ts).

import type { CorpusCase } from '../../../test/parsers/cases/types.js';

const F = 'syslog/tacacs/elastic-cisco-ise-tacacs-accounting.log';

export const files = [F];

// Elastic's fixture lines claim 4 segments (`0000000001 4 0`) but each holds the whole record,
// ending with ISE's closing `Response={…}` field, so each is complete on its own.
const WHOLE = 'segment 0 of a claimed 4 that ends with Response={…}: a whole record';

export const cases: CorpusCase[] = [
  {
    file: F, line: 1,
    expect: [{
      kind: 'command', action: 'command', time: '2020-02-21T19:13:08.328Z', device: 'wlnwan1', actor: 'psxvne',
      actorAddress: '81.2.69.144', privilege: '15', path: 'tacacs', command: 'show mac-address-table',
    }],
    note: `${WHOLE}; a show command: a command record, no account record. Device is NetworkDeviceName (the NAS), not the ISE host`,
  },
  {
    file: F, line: 2,
    expect: [{
      kind: 'session', action: 'session.start', time: '2020-02-21T19:13:08.328Z', device: 'LDNBuildSW1', actor: 'psxlms',
      actorAddress: '81.2.69.144', privilege: '15', path: 'tacacs', session: '35585',
    }],
    note: `${WHOLE}; session id is the TACACS+ task_id, shared with its STOP`,
  },
  {
    file: F, line: 3,
    expect: [{
      kind: 'session', action: 'session.stop', time: '2020-02-21T19:13:08.328Z', device: 'LDNBuildSW1', actor: 'psxlms',
      actorAddress: '81.2.69.144', privilege: '1', path: 'tacacs', session: '35585',
    }],
    note: `${WHOLE} (its last field written \`Response={AcctReply-Status=Success;}\`)`,
  },
];
