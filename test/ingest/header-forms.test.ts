// The header forms the scanner's speed work touched (zones read in place, stamps read ahead of a
// host or an IOS-XR node id), with every field they yield: years, zones by name and by offset,
// Huawei's `%%01` forms, RFC 5424 fractions, missing hostnames, BOM, NUL bytes, an oversize host.
// test/tools/header-equivalence.ts compares the whole parser with an earlier tree's.

import { describe, expect, it } from 'vitest';
import { parseSyslog, type HeaderContext } from '../../src/ingest/header.js';
import { zoneOffset } from '../../parsers/lib/wall-clock.js';

const ctx: HeaderContext = { receivedAt: Date.parse('2026-11-21T23:00:00Z'), transport: 'udp', source: '192.0.2.10' };

function fields(line: string): Record<string, unknown> {
  const m = parseSyslog(line, ctx);
  return {
    format: m.format, malformed: m.malformed, hostname: m.hostname, timeText: m.timeText, time: new Date(m.time).toISOString(),
    timeQuality: m.timeQuality, tag: m.tag, appName: m.appName, procId: m.procId, sequence: m.sequence, message: m.message,
  };
}

describe('zone texts after a stamp', () => {
  it('reads abbreviations and numeric offsets in every digit count, up to 14 hours', () => {
    const offsets = ['UTC', 'Z', 'NZDT', 'CEST', 'UTC+2', 'GMT-0530', '+1', '+01', '+100', '+0100', '+1:00', '+01:00', '+123', '+14:00'].map(zoneOffset);
    expect(offsets).toEqual([0, 0, 780, 120, 120, -330, 60, 60, 60, 60, 60, 60, 83, 840]);
  });

  it('knows no other text, whatever a plain object would answer for it', () => {
    for (const text of ['+1401', '+01000', 'utc', 'UTC+', '+', '', 'toString', 'constructor', '__proto__', 'hasOwnProperty', 'ABCDEF']) {
      expect(zoneOffset(text), text).toBeUndefined();
    }
  });

  it('applies a known zone to the stamp and keeps it in the stamp text; an unknown one before a colon is text only', () => {
    expect(fields('<189>Nov 21 22:10:01 UTC+2: %SYS-5-CONFIG_I: x')).toMatchObject({ timeText: 'Nov 21 22:10:01 UTC+2', time: '2026-11-21T20:10:01.000Z', tag: 'SYS-5-CONFIG_I' });
    expect(fields('<189>Nov 21 22:10:01 +100: %SYS-5-CONFIG_I: x')).toMatchObject({ time: '2026-11-21T21:10:01.000Z' });
    expect(fields('<189>Nov 21 22:10:01 GMT-0530 r1 sshd[1]: x')).toMatchObject({ hostname: 'r1', time: '2026-11-22T03:40:01.000Z', appName: 'sshd', procId: '1' });
    expect(fields('<189>Nov 21 22:10:01 Mumbai: %SYS-5-CONFIG_I: x')).toMatchObject({ timeText: 'Nov 21 22:10:01 Mumbai', time: '2026-11-21T22:10:01.000Z' });
    expect(fields('<189>Nov 21 22:10:01 +1401: %SYS-5-CONFIG_I: x')).toMatchObject({ timeText: 'Nov 21 22:10:01 +1401', time: '2026-11-21T22:10:01.000Z' });
  });
});

describe('stamps read ahead', () => {
  it('a host before the stamp, a marker, a fraction and a zone (the stamp is read once, used once)', () => {
    expect(fields('<189>12: sw1: *Nov 21 22:10:01.123 CEST: %SYS-5-CONFIG_I: x')).toEqual({
      format: 'rfc3164', malformed: undefined, hostname: 'sw1', timeText: '*Nov 21 22:10:01.123 CEST', time: '2026-11-21T20:10:01.123Z',
      timeQuality: 'inferred', tag: 'SYS-5-CONFIG_I', appName: undefined, procId: undefined, sequence: '12', message: 'x',
    });
  });

  it('an IOS-XR node id glued to the stamp', () => {
    expect(fields('<13>RP/0/RSP0/CPU0:Nov 21 22:10:01.123 UTC: config[65]: %MGBL-CONFIG-6-DB_COMMIT : y')).toMatchObject({
      hostname: undefined, timeText: 'Nov 21 22:10:01.123 UTC', time: '2026-11-21T22:10:01.123Z', appName: 'config', procId: '65', tag: 'MGBL-CONFIG-6-DB_COMMIT', message: 'y',
    });
  });

  it('an uptime stamp carries no time', () => {
    expect(fields('<189>12: 2w3d: %SYS-5-CONFIG_I: x')).toMatchObject({ timeText: '2w3d', timeQuality: 'received', time: '2026-11-21T23:00:00.000Z', sequence: '12' });
  });
});

describe('years, vendor forms and framing', () => {
  it('a year after the time (Junos), and a December stamp received in November is last year’s', () => {
    expect(fields('<189>Nov 21 22:10:01.123 2025 r1 mgd[1]: UI_X: y')).toMatchObject({ timeText: 'Nov 21 22:10:01.123 2025', time: '2025-11-21T22:10:01.123Z', hostname: 'r1', message: 'UI_X: y' });
    expect(fields('<189>Dec 31 23:59:59 r1 p: late')).toMatchObject({ time: '2025-12-31T23:59:59.000Z', timeQuality: 'inferred' });
  });

  it('Huawei `%%01` forms, with an offset glued to the stamp and year-first', () => {
    expect(fields('<187>Jan 8 2013 03:58:15+07:00 HUAWEI %%01SHELL/5/CMDRECORD(s)[0]:Recorded')).toMatchObject({
      hostname: 'HUAWEI', timeText: 'Jan 8 2013 03:58:15+07:00', time: '2013-01-07T20:58:15.000Z', timeQuality: 'exact', message: '%%01SHELL/5/CMDRECORD(s)[0]:Recorded',
    });
    expect(fields('<187>2011-08-18 18:08:56 HUAWEI %%01SHELL/5/CMDRECORD(s)[0]:x')).toMatchObject({ hostname: 'HUAWEI', timeText: '2011-08-18 18:08:56', time: '2011-08-18T18:08:56.000Z' });
  });

  it('RFC 5424 fractions beyond milliseconds, NILVALUE fields and a BOM before the message', () => {
    expect(fields('<14>1 2026-11-21T22:10:01.1234567+05:30 h a p m - x')).toMatchObject({ format: 'rfc5424', time: '2026-11-21T16:40:01.123Z', timeQuality: 'exact', hostname: 'h', appName: 'a', procId: 'p' });
    expect(fields('<14>1 2026-11-21T22:10:01.5Z - - - - - \uFEFFbody')).toMatchObject({ format: 'rfc5424', time: '2026-11-21T22:10:01.500Z', hostname: undefined, message: 'body' });
  });

  it('a Cisco body opening an RFC 5424 MSG (sequence numbers, the device stamp, %TAG:) gives its tag and sequence as a legacy header does; the header keeps the time', () => {
    const T = '2026-11-21T22:10:01.000Z';
    const cisco = [
      [`<189>1 ${T} nx1 - - - - %VSHD-5-VSHD_SYSLOG_CONFIG_I: Configured from vty by admin on 10.1.1.1@pts/0`, undefined],
      [`<189>1 ${T} nx1 - - - - 2026 Nov 21 22:10:01 UTC: %VSHD-5-VSHD_SYSLOG_CONFIG_I: Configured from vty by admin on 10.1.1.1@pts/0`, undefined],
      [`<189>1 ${T} nx1 - - - [meta sequenceId="7"] \uFEFF000042: 1234: *Nov 21 22:10:01.123 UTC: %VSHD-5-VSHD_SYSLOG_CONFIG_I: Configured from vty by admin on 10.1.1.1@pts/0`, '000042 1234'],
      [`<189>1 ${T} nx1 - - - - 12: Nov 21 22:10:01: %VSHD-5-VSHD_SYSLOG_CONFIG_I: Configured from vty by admin on 10.1.1.1@pts/0`, '12'],
    ] as const;
    for (const [line, sequence] of cisco) {
      expect(fields(line), line).toMatchObject({
        format: 'rfc5424', time: T, hostname: 'nx1', tag: 'VSHD-5-VSHD_SYSLOG_CONFIG_I', sequence, message: 'Configured from vty by admin on 10.1.1.1@pts/0',
      });
    }
    // Not a Cisco body: MSG whole, no tag (a stamp not ended by `:`, a percent that is no tag, one dash).
    for (const msg of ['Nov 21 22:10:01 %VSHD-5-X: y', '%d of %d done', '%AB-C: y', '100%: done', '12:30 meeting']) {
      expect(fields(`<14>1 ${T} h a - - - ${msg}`), msg).toMatchObject({ tag: undefined, sequence: undefined, message: msg });
    }
  });

  it('a BOM before the PRI and NULs and line ends after the message are framing', () => {
    expect(fields('\uFEFF<13>Nov 21 22:10:01 h p: x\u0000\u0000\r\n')).toMatchObject({ hostname: 'h', appName: 'p', message: 'x' });
  });

  it('no hostname: a program straight after the stamp; an oversize host is not a host', () => {
    expect(fields('<13>Nov 21 22:10:01 p[1]: no host')).toMatchObject({ hostname: undefined, appName: 'p', procId: '1', message: 'no host' });
    const long = 'x'.repeat(256);
    expect(fields(`<13>Nov 21 22:10:01 ${long} p: x`)).toMatchObject({ hostname: undefined, appName: undefined, message: `${long} p: x` });
  });
});
