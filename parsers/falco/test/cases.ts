// Every line of the corpus's Falco files and what it must yield (see test/parsers/cases/types.ts).

import type { CorpusCase } from '../../../test/parsers/cases/types.js';

const MGMT = 'syslog/falco/falco_syslog_user_mgmt.log';
const WRITE = 'syslog/falco/falco_syslog_etc_passwd_write.TRUNCATED.log';
const JSONL = 'syslog/falco/elastic-test-falco.jsonl';

export const files = [MGMT, WRITE, JSONL];

export const cases: CorpusCase[] = [
  {
    file: MGMT, line: 1,
    expect: [{
      kind: 'account', action: 'account.create', time: '2026-05-22T08:06:58.000Z', device: 'digitalocean', actor: 'root',
      target: 'wibble', path: 'os', technique: 'T1136.001', command: 'adduser wibble', container: undefined,
    }],
    note: 'Falco "User mgmt binaries" on a host (older output without priority); the account from the command line',
  },
  {
    file: MGMT, line: 2, expect: [],
    note: 'the same adduser reading /etc/shadow ("Sensitive file opened for reading"): a read changes nothing',
  },
  {
    file: MGMT, line: 3, expect: [],
    note: 'groupadd by the Google guest agent in a pod-prefixed kubectl log line with no syslog header: not a form syslog delivers, so not read (line 5 is the same alert by syslog)',
  },
  { file: MGMT, line: 4, expect: [], note: 'a shell in a container: not an account change (same kubectl-log form)' },
  {
    file: MGMT, line: 5,
    expect: [{
      kind: 'account', action: 'group.create', time: '2026-11-09T09:42:29.000Z', device: 'cks-worker', actor: 'root',
      target: 'google-sudoers', group: 'google-sudoers', path: 'os', technique: undefined, command: 'groupadd google-sudoers', container: undefined,
    }],
    note: 'groupadd on a host (syslog, with priority): a group made, the group the target, no technique; the alert\'s time of day alone leaves the header\'s time',
  },
  {
    file: WRITE, line: 1,
    expect: [{
      kind: 'account', action: 'account.modify', time: '2026-11-09T09:45:45.000Z', device: 'cks-worker', actor: 'root',
      target: '/etc/passwd', path: 'os', technique: 'T1098', command: 'bash',
      container: { id: '4b080eba1fcf', image: 'docker.io/>' },
    }],
    note: '"File below /etc opened for writing" on /etc/passwd by bash in a container: the file stands for the account(s) edited. The line is cut short in its source, which leaves `image=docker.io/>` as the last value',
  },
  { file: JSONL, line: 1, expect: [], note: 'JSON alert "Read sensitive file untrusted" (/etc/shadow read): no change' },
  { file: JSONL, line: 2, expect: [], note: 'JSON alert "System user interactive": not an account change' },
];
