// Every line of the corpus's Cisco ISE file and what it must yield (see test/parsers/cases/types.ts).

import type { CorpusCase } from '../../../test/parsers/cases/types.js';

const F = 'syslog/tacacs/elastic-cisco-ise-tacacs-accounting.log';

// probe-cloud (2026-12-07): ISE's administrative and operational audit, from Elastic's fixtures.
const AUDIT = 'syslog/tacacs/elastic-cisco-ise-admin-audit.relevant';

export const files = [F, AUDIT];

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

  { file: AUDIT, line: 1, expect: [], note: '51001: an administrator signed in to ISE\'s GUI' },
  { file: AUDIT, line: 2, expect: [], note: '52000 on a log target (UPSLogTarget): no account' },
  { file: AUDIT, line: 3, expect: [], note: '52002 on a NAC server object whose data names a username: not an account of ISE\'s' },
  {
    file: AUDIT, line: 4,
    expect: [{ kind: 'account', action: 'account.delete', time: '2022-03-03T11:58:35.811Z', device: 'isehost', target: 'test123', actor: 'admin', actorAddress: '172.16.22.156', path: 'gui', technique: 'T1531' }],
    note: '52002 on Network Access Users: an internal user (what devices\' logins are checked against) deleted in the GUI; the device is the ISE node',
  },
  { file: AUDIT, line: 5, expect: [], note: '60461: ISE disabled an account whose date ran out: no one changed it' },
  { file: AUDIT, line: 6, expect: [], note: '52001 on a logging category' },
  {
    file: AUDIT, line: 7,
    expect: [{ kind: 'account', action: 'account.create', time: '2024-01-15T11:07:42.653Z', device: 'host-1.example.local', target: 'example-user', role: 'Admin', actor: 'alice.johnson', actorAddress: '192.0.2.50', path: 'cli', technique: 'T1136.001' }],
    note: '60084: an administrator of ISE\'s own CLI added, with its role',
  },
  { file: AUDIT, line: 8, expect: [], note: '60081: a failed SSH login to ISE' },
];
