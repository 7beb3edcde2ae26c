// Why the header parser is written here: `syslog-parse` (named on the project card) against the
// same fixtures, line by line. If a future version reads these lines, this test says so.

import parse from 'syslog-parse';
import { describe, expect, it } from 'vitest';
import { parseSyslog } from '../../src/ingest/header.js';

const ctx = { receivedAt: Date.parse('2026-11-21T23:00:00Z'), transport: 'udp' as const };

const LINES: Array<[string, string, (r: ReturnType<typeof parse>) => void]> = [
  [
    'IOS with sequence number, `*` marker, ms and zone',
    '<189>2406: *Nov 21 22:10:01.123 UTC: %PARSER-5-CFGLOG_LOGGEDCMD: User:admin  logged command:username bob privilege 15 secret *',
    (r) => expect(r).toBeUndefined(),
  ],
  [
    'IOS with host, `.` marker, year and zone',
    '<189>81: r1: .Nov 21 2026 22:10:01.123 CET: %SYS-5-CONFIG_I: Configured from console by admin on vty0 (10.1.1.5)',
    (r) => expect(r).toBeUndefined(),
  ],
  [
    'ASA with year, no host',
    '<166>Nov 21 2026 22:10:01: %ASA-5-502101: New user added to local dbase: Uname: bob Priv: 15 Encpass: ***** Executed by: admin',
    (r) => expect(r).toBeUndefined(),
  ],
  ['NX-OS year-first', '<189>2026 Nov 21 22:10:01 sw1 %ACCOUNTING-6-MSG: x', (r) => expect(r).toBeUndefined()],
  [
    'NX-OS host-first: matches the wrong span (PRI lost, program "UTC")',
    '<190>sw1: 2026 Nov 21 22:10:01 UTC: %AUTHPRIV-6-SYSTEM_MSG: x',
    (r) => expect([r?.priority, r?.process, r?.host]).toEqual([0, 'UTC', '']),
  ],
  [
    'RFC 5424 (Junos structured data)',
    `<29>1 2026-11-21T22:10:01.123+01:00 mx1 mgd 4242 UI_CMDLINE_READ_LINE [junos@2636.1.1.1.2.29 username="admin"] User 'admin'`,
    (r) => expect(r).toBeUndefined(),
  ],
  [
    'Linux RFC 3164: parsed, but stamped with the current year and millisecond',
    '<38>Nov  1 22:10:01 host1 useradd[123]: new user: name=bob',
    (r) => {
      expect([r?.host, r?.process, r?.pid, r?.message]).toEqual(['host1', 'useradd', 123, 'new user: name=bob']);
      expect(r!.time.getMonth()).toBe(10);
    },
  ],
];

describe('syslog-parse against the fixtures aaawatch reads', () => {
  for (const [what, line, expectation] of LINES) {
    it(what, () => {
      expectation(parse(line));
      const ours = parseSyslog(line, ctx);
      expect(ours.format).not.toBe('bare');
      expect(ours.malformed).toBeUndefined();
      expect(ours.timeText).toBeDefined();
    });
  }
});
