// Every line of test/corpus/syslog/cisco-iosxr/ and what it must yield (see test/parsers/cases/types.ts).
// parsers/cisco-iosxr/test/cisco-iosxr.test.ts covers each message type further with fixtures written
// from the vendor's documented formats.

import type { CorpusCase } from '../../../test/parsers/cases/types.js';
import { none } from '../../../test/tools/corpus-cases.js';

const NCS = 'syslog/cisco-iosxr/xrdocs-ncs5500-port-range-commit.log';
const SC4S = 'syslog/cisco-iosxr/sc4s-test-cisco-ios-xr.relevant';
const XRD = 'syslog/cisco-iosxr/public-xrd-show-logging-comment.relevant';

const HOSTNAMED = 'syslog/cisco-iosxr/sc4s-cisco-iosxr-sequence-hostname.relevant';

// probe-syslog3 (2026-12-07): the last ten lines of an XRv9000's `show logging` in a ZTP tutorial.
const ZTP = 'syslog/cisco-iosxr/xrdocs-ztp-python-show-logging.relevant';
export const files = [NCS, SC4S, XRD, HOSTNAMED, ZTP];

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
  // `show logging` lines of XR 7 routers quoted by a syslog collector's tests: no zone-less stamps here.
  ...none(SC4S, [1], 'a commit that failed changed nothing'),
  ...none(SC4S, [2, 4], 'licence and NetFlow messages'),
  {
    file: SC4S, line: 3, note: 'CONFIG_I names who configured and from where',
    expect: [{ kind: 'command', action: 'command', time: '2026-10-20T18:41:50.646Z', actor: 'core', actorAddress: '10.0.1.100', path: 'cli' }],
  },
  {
    file: SC4S, line: 5, note: 'OpenSSH, relayed by the syslog proxy: a failed login whose user OpenSSH could not read (`<unknown>`)',
    expect: [{ kind: 'session', action: 'login.failed', time: '2026-10-20T19:39:57.914Z', actor: undefined, actorAddress: '10.0.1.100', path: 'cli' }],
  },
  {
    file: XRD, line: 1, note: 'an SSH login on XRd, as its syslog proxy relays OpenSSH',
    expect: [{ kind: 'session', action: 'login', time: '2026-08-14T08:21:51.298Z', actor: 'clab', actorAddress: '172.20.250.6', path: 'cli' }],
  },
  // A sequence number, then the host's name before the node id and its stamp (`logging hostname`).
  {
    file: HOSTNAMED, line: 1, note: 'the name before the node id is the device; SSHD_ its process, the logout its tag',
    expect: [{ kind: 'session', action: 'logout', time: '2026-03-26T14:47:02.754Z', device: 'HOST_NAME', actor: 'HELLO', actorAddress: '8.8.8.8', path: 'cli' }],
  },
  {
    file: ZTP, line: 1,
    expect: [{ kind: 'command', action: 'command', time: '2026-09-08T19:07:34.182Z', device: 'unknown', actor: 'ZTP', command: "Configuration committed by user 'ZTP'. Use 'show configuration commit changes 1000000175' to view the changes." }],
  },
  {
    file: ZTP, line: 2, note: 'exec\'s login of ZTP\'s own user on a vty; `<unknown>` is no address',
    expect: [{ kind: 'session', action: 'login', time: '2026-09-08T19:07:35.559Z', device: 'unknown', actor: 'ztp-user', path: 'cli' }],
  },
  ...none(ZTP, [3, 4], 'devc-vty: a terminal not registered, no login'),
  {
    file: ZTP, line: 5, note: '`SECURITY-LOGIN-6-CLOSE`: exec\'s logout, naming no address (it was unknown, unread)',
    expect: [{ kind: 'session', action: 'logout', time: '2026-09-08T19:07:35.692Z', device: 'unknown', actor: 'ztp-user', path: 'cli' }],
  },
  ...none(ZTP, [6, 7], 'locald relayed through syslog_dev: the Linux side of ZTP\'s temporary user going away (passwd ageing, `Removing user ztp-user from group root-lr`), not a change an administrator made; the commits beside it are the record'),
  {
    file: ZTP, line: 8,
    expect: [{ kind: 'command', action: 'command', time: '2026-09-08T19:07:39.156Z', device: 'unknown', actor: 'ZTP', command: "Configuration committed by user 'ZTP'. Use 'show configuration commit changes 1000000176' to view the changes." }],
  },
  {
    file: ZTP, line: 9,
    expect: [{ kind: 'session', action: 'logout', time: '2026-09-08T19:08:03.417Z', device: 'unknown', actor: 'admin', actorAddress: '192.168.122.1', path: 'cli' }],
  },
  {
    file: ZTP, line: 10, note: 'an SSH login is this one line: no SECURITY-LOGIN line comes with it',
    expect: [{ kind: 'session', action: 'login', time: '2026-09-08T19:08:15.515Z', device: 'unknown', actor: 'admin', actorAddress: '192.168.122.1', path: 'cli' }],
  },
];
