// Every line of test/corpus/syslog/mikrotik-routeros/ and what it must yield (see test/parsers/cases/types.ts).

import type { CorpusCase } from '../../../test/parsers/cases/types.js';

const FORUM = 'syslog/mikrotik-routeros/forum-thread-124291.relevant';

export const files = [FORUM];

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
];
