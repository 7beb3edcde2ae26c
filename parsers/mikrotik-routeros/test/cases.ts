// Every line of test/corpus/syslog/mikrotik-routeros/ and what it must yield (see test/parsers/cases/types.ts).

import type { CorpusCase } from '../../../test/parsers/cases/types.js';

const FORUM = 'syslog/mikrotik-routeros/forum-thread-124291.relevant';
const COLLECTOR = 'syslog/mikrotik-routeros/forum-thread-124291-collector-file.relevant';

export const files = [FORUM, COLLECTOR];

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
];
