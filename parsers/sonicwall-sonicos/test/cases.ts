// Every line of test/corpus/syslog/sonicwall-sonicos/ and what it must yield (see
// test/parsers/cases/types.ts). Read by `npm run corpus` and sonicwall-sonicos.test.ts.

import type { CorpusCase } from '../../../test/parsers/cases/types.js';
import { none } from '../../../test/tools/corpus-cases.js';

const F = 'syslog/sonicwall-sonicos/wazuh-SonicWall.ini.relevant';
const GUI = 'syslog/sonicwall-sonicos/elastic-test-drizzthacker.log.relevant';

export const files = [F, GUI];

// A web administration session on one firewall (2022), as a collector's file keeps it: the
// collector's header (no year, its own clock) before the firewall's line, whose `time=` is the event's.
const admin = { platform: 'sonicwall-sonicos', kind: 'session', actor: 'admin', actorAddress: '172.16.2.2', path: 'gui', device: '172.16.2.1' } as const;

export const cases: CorpusCase[] = [
  ...none(F, [1, 2, 3, 4, 5, 6, 7, 9, 10, 11], 'NAT, dropped packets, connections, VPN and content-filter events'),
  { file: F, line: 8, expect: [{ platform: 'sonicwall-sonicos', kind: 'session', action: 'login.failed', device: '192.168.5.1', actor: undefined, actorAddress: '2.2.2.2' }],
    note: 'm=30: no user named on this release; the relay header\'s address is the device' },
  ...none(GUI, [1, 4], 'configuration mode entered and left (m=994/995): the login and logout around them are the session'),
  { file: GUI, line: 2, expect: [], note: 'a SYN flood alert naming the administrator whose session was open: no login' },
  { file: GUI, line: 3, expect: [{ ...admin, action: 'logout', time: '2022-04-27T10:32:51.000Z' }], note: 'm=998: the web session ended; its time the firewall\'s `time=`, not the yearless header\'s' },
  { file: GUI, line: 5, expect: [{ ...admin, action: 'login', time: '2022-04-27T10:24:23.000Z' }], note: 'm=29 with `sess="Web"`: a login to the web interface' },
  { file: GUI, line: 6, expect: [{ ...admin, action: 'logout', time: '2022-04-27T10:32:51.000Z' }], note: 'm=262: logged out by the inactivity timer, with m=998 at the same moment' },
  { file: GUI, line: 7, expect: [{ ...admin, action: 'login.failed', time: '2022-04-27T09:42:51.000Z' }], note: 'm=30 on a release that names the user' },
];
