// Every line of test/corpus/syslog/mikrotik-routeros/ and what it must yield (see test/parsers/cases/types.ts).

import type { CorpusCase } from '../../../test/parsers/cases/types.js';

const FORUM = 'syslog/mikrotik-routeros/forum-thread-124291.relevant';
const COLLECTOR = 'syslog/mikrotik-routeros/forum-thread-124291-collector-file.relevant';
const USER_OPS = 'syslog/mikrotik-routeros/npratley-routeros-user-ops-wrapped.relevant';
const LAB = 'syslog/mikrotik-routeros/public-lab-notes-ospf-log.relevant';

export const files = [FORUM, COLLECTOR, USER_OPS, LAB];

// RouterOS 7.23.3 in a lab, the account an attacker's session made and removed, as the router's
// terminal printed the two messages: each wrapped after its actor, the command on a line of its own.
const ops = { actor: '-2', actorAddress: '172.31.88.5', path: 'cli', time: '2026-11-21T23:00:00.000Z', device: 'unknown' } as const;

const login = { kind: 'session', action: 'login', actor: 'admin', actorAddress: '192.168.2.3', path: 'gui' } as const;

export const cases: CorpusCase[] = [
  {
    file: FORUM, line: 1,
    note: 'bsd-syslog=yes: a header (the forum post writes the router name as HOST) and no topics; winbox is the GUI client',
    expect: [{ ...login, time: '2026-04-11T14:17:05.000Z', device: 'HOST' }],
  },
  {
    file: FORUM, line: 2,
    note: 'bsd-syslog=no: the topics and no header, so no device name and the receive time',
    expect: [{ ...login, time: '2026-11-21T23:00:00.000Z', device: 'unknown' }],
  },
  ...[1, 2, 3, 5, 6, 7].map((line) => ({ file: COLLECTOR, line, expect: [] })),
  {
    file: COLLECTOR, line: 4,
    note: "a collector's file: its RFC 3339 receive stamp, then the line as received; the router's own stamp and name are the record's, its year the collector's (2022), not the import's",
    expect: [{ kind: 'session', action: 'login', actor: 'jotne', actorAddress: '10.11.10.32', path: 'gui', time: '2022-11-08T17:06:36.000Z', device: 'OVA' }],
  },
  {
    file: USER_OPS, line: 1,
    note: 'a /user addition by ssh:-2@ADDRESS (the service, the user, the address): the account made; its group is on the wrapped line',
    expect: [
      { ...ops, kind: 'command', action: 'command', command: 'user ops added by ssh:-2@172.31.88.5' },
      { ...ops, kind: 'account', action: 'account.create', target: 'ops', role: undefined, technique: 'T1136.001' },
    ],
  },
  { file: USER_OPS, line: 2, expect: [], note: 'the wrapped command alone names neither actor nor account' },
  {
    file: USER_OPS, line: 3,
    note: 'the removal, its actor followed by the /action:N RouterOS 7 appends',
    expect: [
      { ...ops, kind: 'command', action: 'command', command: 'user ops removed by ssh:-2@172.31.88.5/action:0' },
      { ...ops, kind: 'account', action: 'account.delete', target: 'ops', technique: 'T1531' },
    ],
  },
  { file: USER_OPS, line: 4, expect: [], note: 'the wrapped command alone' },
  ...[1, 2].map((line) => ({ file: LAB, line, expect: [], note: 'a firewall rule added and moved (`/log print`, RouterOS 7): a configuration change, no account' })),
];
