import { describe, expect, it } from 'vitest';
import { parseSyslog, type HeaderContext } from '../../src/ingest/header.js';
import { corpusLines } from '../support/corpus.js';

const RECEIVED = Date.parse('2026-11-21T23:00:00Z');
const ctx: HeaderContext = { receivedAt: RECEIVED, transport: 'udp', source: '192.0.2.10' };
const iso = (ms: number): string => new Date(ms).toISOString();

interface Case {
  line: string;
  want: Record<string, unknown>;
}

// The vendor forms named in the foundation issue, one per line, with every header field.
const ISSUE_FORMS: Case[] = [
  {
    line: '<189>2406: *Nov 21 22:10:01.123 UTC: %PARSER-5-CFGLOG_LOGGEDCMD: User:admin  logged command:username bob privilege 15 secret *',
    want: {
      format: 'rfc3164', pri: 189, facility: 23, severity: 5, sequence: '2406', clockMarker: '*',
      time: '2026-11-21T22:10:01.123Z', timeText: '*Nov 21 22:10:01.123 UTC', timeQuality: 'inferred',
      hostname: undefined, tag: 'PARSER-5-CFGLOG_LOGGEDCMD',
      message: 'User:admin  logged command:username bob privilege 15 secret *',
    },
  },
  {
    line: '<189>81: r1: .Nov 21 2026 22:10:01.123 CET: %SYS-5-CONFIG_I: Configured from console by admin on vty0 (10.1.1.5)',
    want: {
      format: 'rfc3164', sequence: '81', hostname: 'r1', clockMarker: '.', time: '2026-11-21T21:10:01.123Z',
      timeText: '.Nov 21 2026 22:10:01.123 CET', timeQuality: 'exact', tag: 'SYS-5-CONFIG_I',
      message: 'Configured from console by admin on vty0 (10.1.1.5)',
    },
  },
  {
    line: '<166>Nov 21 2026 22:10:01: %ASA-5-502101: New user added to local dbase: Uname: bob Priv: 15 Encpass: ***** Executed by: admin',
    want: {
      pri: 166, facility: 20, severity: 6, time: '2026-11-21T22:10:01.000Z', timeText: 'Nov 21 2026 22:10:01',
      timeQuality: 'inferred', hostname: undefined, tag: 'ASA-5-502101',
      message: 'New user added to local dbase: Uname: bob Priv: 15 Encpass: ***** Executed by: admin',
    },
  },
  {
    line: '<189>2026 Nov 21 22:10:01 sw1 %ACCOUNTING-6-MSG: ...',
    want: { hostname: 'sw1', time: '2026-11-21T22:10:01.000Z', timeText: '2026 Nov 21 22:10:01', tag: 'ACCOUNTING-6-MSG', message: '...' },
  },
  {
    line: '<190>sw1: 2026 Nov 21 22:10:01 UTC: %AUTHPRIV-6-SYSTEM_MSG: ...',
    want: {
      hostname: 'sw1', time: '2026-11-21T22:10:01.000Z', timeQuality: 'exact', timeText: '2026 Nov 21 22:10:01 UTC',
      tag: 'AUTHPRIV-6-SYSTEM_MSG',
    },
  },
  {
    line: `<29>1 2026-11-21T22:10:01.123+01:00 mx1 mgd 4242 UI_CMDLINE_READ_LINE [junos@2636.1.1.1.2.29 username="admin" command="set system login user bob class super-user"] User 'admin', command 'set system login user bob class super-user'`,
    want: {
      format: 'rfc5424', pri: 29, time: '2026-11-21T21:10:01.123Z', timeQuality: 'exact', hostname: 'mx1',
      appName: 'mgd', procId: '4242', msgId: 'UI_CMDLINE_READ_LINE',
      sd: { 'junos@2636.1.1.1.2.29': { username: 'admin', command: 'set system login user bob class super-user' } },
      message: "User 'admin', command 'set system login user bob class super-user'",
    },
  },
  {
    line: '<38>Nov  1 22:10:01 host1 useradd[123]: new user: name=bob, UID=1001, GID=1001, home=/home/bob, shell=/bin/bash',
    want: {
      pri: 38, facility: 4, severity: 6, hostname: 'host1', appName: 'useradd', procId: '123',
      time: '2026-11-01T22:10:01.000Z', timeText: 'Nov  1 22:10:01',
      message: 'new user: name=bob, UID=1001, GID=1001, home=/home/bob, shell=/bin/bash',
    },
  },
];

function check(c: Case, context: HeaderContext = ctx): void {
  const m = parseSyslog(c.line, context);
  // Each field read from the message itself: several are worked out when read (time, timeText, facility, sd), which a spread would miss.
  const field = (k: string): unknown => (k === 'time' ? iso(m.time) : (m as unknown as Record<string, unknown>)[k]);
  for (const [k, v] of Object.entries(c.want)) expect(field(k), `${k} of ${c.line}`).toEqual(v);
  expect(m.malformed).toBeUndefined();
}

describe('header parser: the issue’s vendor forms', () => {
  for (const c of ISSUE_FORMS) it(c.line.slice(0, 60), () => check(c));
});

describe('header parser: forms seen in the corpus', () => {
  it('a relay’s RFC 3164 header in front of an IOS header keeps the device’s own stamp and sequence', () => {
    const line = corpusLines('syslog/cisco-ios/elastic-test-cisco-ios.log')[0]!;
    check({
      line,
      want: {
        format: 'rfc3164', pri: undefined, hostname: '192.168.100.2', sequence: '1991219',
        timeText: 'Mar 24 18:06:03.424 UTC', time: '2026-03-24T18:06:03.424Z', tag: 'SEC_LOGIN-5-LOGIN_SUCCESS',
      },
    });
  });

  it('two counters and a zoneless device stamp behind a relay (lab-syslog)', () => {
    const line = corpusLines('syslog/cisco-ios/lab-syslog.log')[0]!;
    check({
      line,
      want: {
        hostname: 'one.one.one.one', sequence: '54 000051', timeText: 'Jan  6 10:24:17', timeQuality: 'inferred',
        tag: 'PARSER-5-CFGLOG_LOGGEDCMD', message: 'User:console  logged command:ip ssh authentication-retries 2',
      },
    });
  });

  it('ASA forms: `host :` separator, ISO stamp with colon, relay plus zone, facility in the tag', () => {
    const lines = corpusLines('syslog/cisco-asa/elastic-additional-messages.log');
    const byTag = (tag: string) => lines.map((l) => parseSyslog(l, ctx)).filter((m) => m.tag === tag);
    const asa113004 = byTag('ASA-6-113004')[0]!;
    expect([asa113004.hostname, asa113004.timeText, iso(asa113004.time)]).toEqual(['sac-firewall', 'Mar 03 2023 09:01:16', '2023-03-03T09:01:16.000Z']);
    const iso8601 = lines.map((l) => parseSyslog(l, ctx)).find((m) => m.timeText === '2024-06-26T01:35:42Z')!;
    expect([iso8601.tag, iso8601.timeQuality, iso8601.hostname]).toEqual(['ASA-6-113008', 'exact', undefined]);
    const edt = byTag('ASA-auth-4-113004')[0]!;
    expect([edt.hostname, edt.timeText, iso(edt.time)]).toEqual(['host1.example.com', 'Sep 25 15:47:07 EDT', '2026-09-25T19:47:07.000Z']);
    const dev01 = byTag('ASA-5-502103')[0]!;
    expect([dev01.hostname, dev01.message]).toEqual(['dev01', 'User priv level changed: Uname: enable_15 From: 1 To: 15']);
    for (const m of lines.map((l) => parseSyslog(l, ctx))) expect(m.tag, m.raw).toMatch(/^ASA-/);
  });

  it('Junos with `time-format year millisecond` puts the year after the time', () => {
    const line = corpusLines('syslog/juniper-junos/mx-cmdline.log')[0]!;
    check({
      line,
      want: {
        hostname: 'BRMJ00', appName: 'mgd', procId: '53913', time: '2020-11-10T12:21:25.510Z',
        timeText: 'Nov 10 12:21:25.510 2020', message: expect.stringMatching(/^UI_CMDLINE_READ_LINE: User 'J-apnbng'/),
      },
    });
  });

  it('Snare over RFC 5424 with NILVALUE fields and tabs in the message', () => {
    const line = corpusLines('syslog/windows/sample-events.data')[0]!;
    const m = parseSyslog(line, ctx);
    expect([m.format, m.hostname, m.appName, m.procId, m.msgId, m.sd]).toEqual(['rfc5424', 'DC25-PREVIEW', undefined, undefined, undefined, undefined]);
    expect(iso(m.time)).toBe('2025-02-18T06:42:17.554Z');
    expect(m.message.startsWith('MSWinEventLog\t1\tSecurity\t')).toBe(true);
  });

  it('lines with no syslog header at all are kept whole as bare messages', () => {
    for (const line of [
      corpusLines('syslog/fortinet-fortios/psirt-admin-add.log')[0]!,
      corpusLines('syslog/tacacs/tac_plus-accounting-srlinux.log')[0]!,
      corpusLines('syslog/paloalto-panos/elastic-panos-config.log')[0]!,
      // A yearless stamp ending in a tab (shrubbery tac_plus's file): read as a header, its NAS was the sender.
      corpusLines('syslog/tacacs/tac_plus-shrubbery-file.relevant')[0]!,
    ]) {
      const m = parseSyslog(line, ctx);
      expect([m.format, m.message, m.malformed, m.timeQuality, m.time]).toEqual(['bare', line, undefined, 'received', RECEIVED]);
    }
  });
});

describe('header parser: RFC 5424 details', () => {
  it('decodes SD escapes, several elements, and drops the BOM', () => {
    const m = parseSyslog('<13>1 2026-11-01T00:00:00Z h a p m [a b="c\\"d\\]e\\\\f\\x"][x@1 q="1" q="2"] \uFEFFhello', ctx);
    expect(m.sd).toEqual({ a: { b: 'c"d]e\\f\\x' }, 'x@1': { q: '2' } });
    expect(m.message).toBe('hello');
  });

  it('a body after two spaces (rsyslog’s `%STRUCTURED-DATA% %msg%` keeps the tag’s space) is read from its first word, whatever the platform', () => {
    // Real: Cloud Foundry's BOSH VMs relay this way.
    const bosh = parseSyslog(corpusLines('syslog/linux/cloudfoundry-syslog-release-security-events.relevant')[1]!, ctx);
    expect([bosh.format, bosh.appName, bosh.sd?.['instance@47450']?.['deployment']]).toEqual(['rfc5424', 'useradd', 'syslog-storer']);
    expect(bosh.message).toMatch(/^new user: name=myuser123, /);
    // The same template around a Cisco body and around no structured data.
    const ios = parseSyslog('<189>1 2026-11-01T00:00:00Z r1 - - - -  %SYS-5-CONFIG_I: Configured from console by admin on vty0 (10.0.0.1)', ctx);
    expect([ios.tag, ios.message]).toEqual(['SYS-5-CONFIG_I', 'Configured from console by admin on vty0 (10.0.0.1)']);
  });

  it('NILVALUE timestamp takes the receive time; an absent MSG is empty', () => {
    const m = parseSyslog('<13>1 - - - - - -', ctx);
    expect([m.format, m.time, m.timeQuality, m.hostname, m.message]).toEqual(['rfc5424', RECEIVED, 'received', undefined, '']);
  });

  it('structured data named like Object.prototype stays data', () => {
    const m = parseSyslog('<13>1 2026-11-01T00:00:00Z h a p m [__proto__ polluted="yes"][constructor x="1"] m', ctx);
    expect(m.sd!['__proto__']).toEqual({ polluted: 'yes' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    ['<13>1 2026-13-01T00:00:00Z h a p m - x', 'rfc5424-bad-timestamp'],
    ['<13>1 2026-11-01T00:00:00Z h a p', 'rfc5424-truncated-header'],
    ['<13>1 2026-11-01T00:00:00Z h a p m [unterminated x="1" msg', 'rfc5424-bad-structured-data'],
    ['<13>1 2026-11-01T00:00:00Z h a p m nosd', 'rfc5424-bad-structured-data'],
    ['<999>x', 'bad-pri'],
    ['<01>x', 'bad-pri'],
    ['<>x', 'bad-pri'],
    ['', 'empty'],
    ['\r\n', 'empty'],
  ])('%j is kept and marked %s', (line, reason) => {
    const m = parseSyslog(line, ctx);
    expect(m.malformed).toBe(reason);
    expect(m.format).toBe('bare');
    expect(m.raw).toBe(line);
  });
});

describe('header parser: time', () => {
  it('takes the year from the receive time, and a December stamp received in January belongs to the old year', () => {
    const jan = { ...ctx, receivedAt: Date.parse('2027-01-01T00:00:30Z') };
    expect(iso(parseSyslog('<13>Dec 31 23:59:58 h p: x', jan).time)).toBe('2026-12-31T23:59:58.000Z');
    expect(iso(parseSyslog('<13>Jan  1 00:00:10 h p: x', jan).time)).toBe('2027-01-01T00:00:10.000Z');
    // A device clock a little ahead across New Year still lands in the new year.
    const dec = { ...ctx, receivedAt: Date.parse('2026-12-31T23:59:50Z') };
    expect(iso(parseSyslog('<13>Jan  1 00:00:05 h p: x', dec).time)).toBe('2027-01-01T00:00:05.000Z');
    // Eight months "ahead" is last year's stamp replayed late, not next year's.
    expect(iso(parseSyslog('<13>Mar 24 18:06:03 h p: x', ctx).time)).toBe('2026-03-24T18:06:03.000Z');
  });

  it('applies the device’s configured zone to stamps without one, across a DST change', () => {
    const berlin: HeaderContext = { ...ctx, zoneFor: () => 'Europe/Berlin' };
    expect(iso(parseSyslog('<13>Nov 21 22:10:01 h p: x', berlin).time)).toBe('2026-11-21T21:10:01.000Z');
    expect(iso(parseSyslog('<13>Jul 21 22:10:01 h p: x', berlin).time)).toBe('2026-07-21T20:10:01.000Z');
    // A stamp that names its zone ignores the configured one.
    expect(iso(parseSyslog('<189>1: *Nov 21 22:10:01.123 UTC: %SYS-5-CONFIG_I: x', berlin).time)).toBe('2026-11-21T22:10:01.123Z');
  });

  it('a `clock timezone` name it cannot know falls back to the configured zone, keeping the text', () => {
    const m = parseSyslog('<189>1: *Nov 21 22:10:01.123 HQTIME: %SYS-5-CONFIG_I: x', { ...ctx, zoneFor: () => 'Europe/Berlin' });
    expect([iso(m.time), m.timeText, m.timeQuality, m.tag]).toEqual(['2026-11-21T21:10:01.123Z', '*Nov 21 22:10:01.123 HQTIME', 'inferred', 'SYS-5-CONFIG_I']);
  });

  it('uptime stamps are kept as text; time is the receive time', () => {
    const m = parseSyslog('<189>123: 2w3d: %SYS-5-CONFIG_I: Configured from console by vty0', ctx);
    expect([m.timeText, m.time, m.timeQuality, m.sequence, m.tag]).toEqual(['2w3d', RECEIVED, 'received', '123', 'SYS-5-CONFIG_I']);
  });

  it('numeric offsets and fractional seconds beyond milliseconds', () => {
    expect(iso(parseSyslog('<13>1 2026-11-21T22:10:01.123456-05:30 h a - - - x', ctx).time)).toBe('2026-11-22T03:40:01.123Z');
    expect(iso(parseSyslog('<189>1: Nov 21 22:10:01 UTC+2: %SYS-5-CONFIG_I: x', ctx).time)).toBe('2026-11-21T20:10:01.000Z');
  });
});

describe('header parser: program tags and hostnames', () => {
  it.each([
    ['<13>Nov  1 22:10:01 host1 sshd: x', 'host1', 'sshd', undefined, 'x'],
    ['<13>Nov  1 22:10:01 host1 postfix/smtpd[99]: x', 'host1', 'postfix/smtpd', '99', 'x'],
    ['<13>Nov  1 22:10:01 fe80::1 kernel: x', 'fe80::1', 'kernel', undefined, 'x'],
    // A relay's host for a sender without a name is its address (rsyslog's %HOSTNAME%, `%fromhost-ip%`), IPv6 written any way.
    ['<13>Nov  1 22:10:01 2001:db8::6 sshd[12]: x', '2001:db8::6', 'sshd', '12', 'x'],
    ['<13>Nov  1 22:10:01 2001:DB8:0:0:1:2:3:4 sshd[12]: x', '2001:DB8:0:0:1:2:3:4', 'sshd', '12', 'x'],
    ['<13>Nov  1 22:10:01 ::1 sshd[12]: x', '::1', 'sshd', '12', 'x'],
    ['<13>Nov  1 22:10:01 ::ffff:192.0.2.12 sshd[12]: x', '::ffff:192.0.2.12', 'sshd', '12', 'x'],
    ['<13>2026-11-01T22:10:01Z 2001:db8::6 sshd[12]: x', '2001:db8::6', 'sshd', '12', 'x'],
    // A clock where a host would be is none.
    ['<13>Nov  1 22:10:01 12:34:56 x', undefined, undefined, undefined, '12:34:56 x'],
    ['<13>Nov  1 22:10:01 host1 not a tag', 'host1', undefined, undefined, 'not a tag'],
    ['<13>Nov  1 22:10:01 host1 falco: User management binary', 'host1', 'falco', undefined, 'User management binary'],
  ])('%s', (line, hostname, appName, procId, message) => {
    const m = parseSyslog(line, ctx);
    expect([m.hostname, m.appName, m.procId, m.message]).toEqual([hostname, appName, procId, message]);
  });

  it('an IPv6 host whose first group is four digits is no year: the line keeps its own year and its whole host', () => {
    const m = parseSyslog('<13>Nov  1 22:10:01 2001:db8::6 sshd[12]: x', ctx);
    expect([m.hostname, m.timeText, iso(m.time).slice(0, 4)]).toEqual(['2001:db8::6', 'Nov  1 22:10:01', iso(RECEIVED).slice(0, 4)]);
    // Junos's trailing year (`time-format year`) is still read.
    expect(iso(parseSyslog('<13>Nov 10 12:21:25.510 2020  BRMJ00 mgd[1]: x', ctx).time)).toBe('2020-11-10T12:21:25.510Z');
  });

  it('a PRI followed by key=value text (FortiOS) leaves the text whole', () => {
    const m = parseSyslog('<189>date=2026-11-21 time=22:10:01 devname="FGT" logid="0100044547"', ctx);
    expect([m.format, m.pri, m.hostname, m.message]).toEqual(['rfc3164', 189, undefined, 'date=2026-11-21 time=22:10:01 devname="FGT" logid="0100044547"']);
  });

  it('trailing LF, CR and NUL are framing, not content', () => {
    expect(parseSyslog('<13>Nov  1 22:10:01 h p: x\r\n\u0000', ctx).message).toBe('x');
  });
});

describe('header parser: process names and node ids before the Cisco tag', () => {
  // Line shapes from the EOS and IOS-XR system message guides (and public captures of them).
  it('EOS: program, its own counter, then the tag', () => {
    const m = parseSyslog('<189>Nov 21 22:10:01 leaf1 Aaa: 101: %AAA-5-LOGIN: user admin logged in from 192.0.2.9', ctx);
    expect([m.hostname, m.appName, m.sequence, m.tag, m.message]).toEqual(['leaf1', 'Aaa', '101', 'AAA-5-LOGIN', 'user admin logged in from 192.0.2.9']);
  });

  it('IOS-XR: a node id glued to the stamp, a process, and a space before the tag’s colon', () => {
    const m = parseSyslog("<189>812: RP/0/RSP0/CPU0:Sep 25 23:40:13.207 UTC: config[66021]: %MGBL-CONFIG-6-DB_COMMIT : Configuration committed by user 'x'. Use 'show configuration commit changes 1000000001' to view the changes.", ctx);
    expect([iso(m.time), m.timeQuality, m.sequence, m.appName, m.procId, m.tag]).toEqual(['2026-09-25T23:40:13.207Z', 'inferred', '812', 'config', '66021', 'MGBL-CONFIG-6-DB_COMMIT']);
    expect(m.message.startsWith("Configuration committed by user 'x'.")).toBe(true);
  });

  it('IOS-XR behind a relay header', () => {
    const m = parseSyslog('<189>Nov 21 22:10:01 xr1 812: RP/0/RP0/CPU0:Nov 21 22:10:01.691 UTC: ifmgr[337]: %PKT_INFRA-LINK-5-CHANGED : Interface GigabitEthernet0/0/0/1, changed state to Up', ctx);
    expect([m.hostname, m.sequence, m.timeText, m.appName, m.tag]).toEqual(['xr1', '812', 'Nov 21 22:10:01.691 UTC', 'ifmgr', 'PKT_INFRA-LINK-5-CHANGED']);
  });

  it('IOS-XR: a stamp printed without a zone ends with a spaced colon, bare or behind a relay header', () => {
    // `service timestamps log datetime` without `show-timezone`: `Feb  2 22:37:57 : config[…]`
    // (an NCS 5500 terminal capture, test/corpus/syslog/cisco-iosxr).
    const bare = parseSyslog("RP/0/RP0/CPU0:Feb  2 22:37:57 : config[67778]: %MGBL-CONFIG-6-DB_COMMIT : Configuration committed by user 'root'.", ctx);
    expect([iso(bare.time), bare.timeText, bare.hostname, bare.appName, bare.procId, bare.tag, bare.message]).toEqual([
      '2026-02-02T22:37:57.000Z', 'Feb  2 22:37:57', undefined, 'config', '67778', 'MGBL-CONFIG-6-DB_COMMIT', "Configuration committed by user 'root'.",
    ]);
    const relayed = parseSyslog('<189>Nov 21 22:10:01 xr1 812: RP/0/RSP0/CPU0:Nov 21 22:10:00 : eem_ed_syslog[100]: %HA-HA_EEM-6-ACTION_SYSLOG_LOG_INFO : x', ctx);
    expect([relayed.hostname, relayed.sequence, relayed.timeText, relayed.appName, relayed.tag, relayed.message]).toEqual([
      'xr1', '812', 'Nov 21 22:10:00', 'eem_ed_syslog', 'HA-HA_EEM-6-ACTION_SYSLOG_LOG_INFO', 'x',
    ]);
  });

  it('IOS-XR with `logging hostname`: the name before the node id is the host, only when a node id and its stamp follow', () => {
    // splunk-connect-for-syslog's test line (test/corpus/syslog/cisco-iosxr/sc4s-cisco-iosxr-sequence-hostname.relevant).
    const m = parseSyslog("<190>290692: HOST_NAME RP/0/RSP0/CPU0:Mar 26 14:47:02.754 : SSHD_[65935]: %SECURITY-SSHD-6-INFO_USER_LOGOUT : User 'HELLO' from '8.8.8.8' logged out on 'vty0'", ctx);
    expect([m.hostname, m.sequence, m.timeText, m.appName, m.procId, m.tag, m.message]).toEqual([
      'HOST_NAME', '290692', 'Mar 26 14:47:02.754', 'SSHD_', '65935', 'SECURITY-SSHD-6-INFO_USER_LOGOUT', "User 'HELLO' from '8.8.8.8' logged out on 'vty0'",
    ]);
    const zoned = parseSyslog('<189>xr1 RP/0/RP0/CPU0:Nov 21 22:10:01.691 UTC: ifmgr[337]: %PKT_INFRA-LINK-5-CHANGED : Interface Gi0/0/0/1, changed state to Up', ctx);
    expect([zoned.hostname, zoned.timeText, zoned.appName, zoned.tag]).toEqual(['xr1', 'Nov 21 22:10:01.691 UTC', 'ifmgr', 'PKT_INFRA-LINK-5-CHANGED']);
    // A word before something that only looks like a node id, or one with no stamp after it, is the message's.
    for (const [text, message] of [
      ['<13>290692: HOST_NAME RP/0/RSP0/CPU0: no stamp here', 'HOST_NAME RP/0/RSP0/CPU0: no stamp here'],
      ['<13>HOST_NAME RP/0/RSP0 Mar 26 14:47:02 x', 'HOST_NAME RP/0/RSP0 Mar 26 14:47:02 x'],
      ['<13>note RP/0/RSP0/CPU0:Mar 99 14:47:02 x', 'note RP/0/RSP0/CPU0:Mar 99 14:47:02 x'],
    ]) {
      const b = parseSyslog(text!, ctx);
      expect([b.hostname, b.message], text).toEqual([undefined, message]);
    }
  });

  it('a spaced colon after a stamp is read as its end only after an IOS-XR node id', () => {
    const m = parseSyslog('<13>Nov 21 22:10:01 : config[1]: %MGBL-CONFIG-6-DB_COMMIT : y', ctx);
    expect([m.timeText, m.appName, m.tag, m.message]).toEqual(['Nov 21 22:10:01', undefined, undefined, ': config[1]: %MGBL-CONFIG-6-DB_COMMIT : y']);
  });

  it('ASA, PIX and FWSM relayed with the empty field glued to the stamp, and its colon glued to the tag', () => {
    // Lines of test/corpus/syslog/cisco-asa/ru-soc-normalizer-asa-mapper.relevant.
    const glued = parseSyslog("<165>:Oct 02 15:20:37 MSK: %PIX-config-5-111008: User 'somebody' executed the 'write' command.", ctx);
    expect([iso(glued.time), glued.timeText, glued.hostname, glued.tag]).toEqual(['2026-10-02T12:20:37.000Z', 'Oct 02 15:20:37 MSK', undefined, 'PIX-config-5-111008']);
    const hosted = parseSyslog("<165>:Jan 14 18:10:27 MSK 10.20.30.40: %FWSM-config-5-111008: User 'somebody' executed the 'write' command.", ctx);
    expect([hosted.hostname, hosted.tag]).toEqual(['10.20.30.40', 'FWSM-config-5-111008']);
    const spaced = parseSyslog("<165>:Jan 14 18:10:27 MSK :%ASA-5-111008: User 'somebody' executed the 'write' command.", ctx);
    expect([spaced.timeText, spaced.tag, spaced.message]).toEqual(['Jan 14 18:10:27 MSK', 'ASA-5-111008', "User 'somebody' executed the 'write' command."]);
    // A colon before anything that is not a stamp stays text.
    expect(parseSyslog('<13>:x y', ctx).message).toBe(':x y');
  });

  it('NX-OS without an origin id: an empty field before the stamp', () => {
    const m = parseSyslog('<189>: 2019 Apr 18 10:57:54 UTC: %AUTHPRIV-3-SYSTEM_MSG: pam_aaa:Authentication failed from 10.1.1.1 - dcos_sshd[1]', ctx);
    expect([iso(m.time), m.timeQuality, m.hostname, m.tag]).toEqual(['2019-04-18T10:57:54.000Z', 'exact', undefined, 'AUTHPRIV-3-SYSTEM_MSG']);
  });

  it('after a stamp that ends with its colon, a word before no tag or program is the body, not a host', () => {
    // Elastic's Nexus sample, line 1 (test/corpus/syslog/cisco-nxos/elastic-test-nexus.log): the host was `last`.
    const m = parseSyslog('<187>: 2023 May  2 12:55:19 UTC: last message repeated 1 times', ctx);
    expect([iso(m.time), m.hostname, m.appName, m.message]).toEqual(['2023-05-02T12:55:19.000Z', undefined, undefined, 'last message repeated 1 times']);
    // A host and a tag after such a stamp stay a host and a tag.
    const h = parseSyslog('<166>Jan  1 19:19:02 UTC: fw1 %ASA-6-302013: Built inbound TCP connection', ctx);
    expect([h.hostname, h.tag]).toEqual(['fw1', 'ASA-6-302013']);
  });

  it('a zone after the host, before a Cisco tag, is the stamp\'s (an IOS stamp a relay read without its zone)', () => {
    // Elastic's Nexus sample, lines 71-72 (elastic/integrations packages/cisco_nexus, test-nexus.log): the zone was the program.
    const m = parseSyslog('<189>Jun 14 12:00:59 ac2109-sr2 AEST: %SEC_LOGIN-SW2-5-LOGIN_SUCCESS: Login Success [user: admin] [Source: 10.1.1.1] [localport: 22] at 12:00:59 AEST Thu Jun 14 2018', ctx);
    expect([m.hostname, m.appName, m.tag, iso(m.time)]).toEqual(['ac2109-sr2', undefined, 'SEC_LOGIN-SW2-5-LOGIN_SUCCESS', '2026-06-14T02:00:59.000Z']);
    // A word the zone table does not know stays the program: EOS names its agent there.
    const eos = parseSyslog('<189>Nov 21 22:10:01 leaf1 Ebra: %LINEPROTO-5-UPDOWN: Line protocol on Interface Ethernet7, changed state to up', ctx);
    expect([eos.hostname, eos.appName]).toEqual(['leaf1', 'Ebra']);
  });

  it('ProCurve numbers its events between the host and the program', () => {
    // splunk-connect-for-syslog's test_hpe_procurve line: the host was the event number.
    const m = parseSyslog('<46> May 15 14:04:23 192.168.1.254  00179 mgr:  SME SSH from 192.168.1.22 - MANAGER Mode', ctx);
    expect([m.hostname, m.sequence, m.appName, m.message]).toEqual(['192.168.1.254', '00179', 'mgr', 'SME SSH from 192.168.1.22 - MANAGER Mode']);
  });
});

describe('collector and relay file lines', () => {
  it("a collector's receive stamp before the line as received: the line's own header wins, the year from the collector's", () => {
    // Lines of test/corpus/syslog/mikrotik-routeros/forum-thread-124291-collector-file.relevant.
    const m = parseSyslog('2022-11-08T17:06:37.048188+01:00 <30>Nov  8 17:06:36 OVA MikroTik: user jotne logged in from 10.11.10.32 via winbox', ctx);
    expect([m.format, m.pri, m.hostname, m.appName, m.timeText, iso(m.time), m.message]).toEqual([
      'rfc3164', 30, 'OVA', 'MikroTik', 'Nov  8 17:06:36', '2022-11-08T17:06:36.000Z', 'user jotne logged in from 10.11.10.32 via winbox',
    ]);
    // No stamp in the line: the collector's stands.
    const bare = parseSyslog('2022-11-08T17:08:43.990315+01:00 <13>dhcp,info MikroTik: dhcp-client on bridge got IP address 10.11.10.141', ctx);
    expect([bare.pri, bare.hostname, bare.timeText, iso(bare.time), bare.timeQuality, bare.message]).toEqual([
      13, undefined, '2022-11-08T17:08:43.990315+01:00', '2022-11-08T16:08:43.990Z', 'exact', 'dhcp,info MikroTik: dhcp-client on bridge got IP address 10.11.10.141',
    ]);
    // An RFC 5424 line behind the stamp is read as one.
    const v1 = parseSyslog('2022-11-08T17:06:37Z <165>1 2022-11-08T17:06:36.003Z fw1 sshd 12 - - hello', ctx);
    expect([v1.format, v1.hostname, v1.appName, iso(v1.time), v1.message]).toEqual(['rfc5424', 'fw1', 'sshd', '2022-11-08T17:06:36.003Z', 'hello']);
    // Not a PRI after the stamp: as before, text.
    expect(parseSyslog('2022-11-08T17:06:37Z <3000>x', ctx).pri).toBeUndefined();
    expect(parseSyslog('2022-11-08T17:06:37Z <b>bold</b>', ctx).pri).toBeUndefined();
  });

  it("a relay's `YYYY-MM-DD hh:mm:ss` stamp, the sender's address and the name it gave", () => {
    // The line of test/corpus/syslog/cisco-asa/public-parser-test-relay-file.relevant.
    const m = parseSyslog('2014-11-07 11:18:33 192.168.1.1 FW-LZQ-MGJZZS-ASA5505-01 %ASA-5-502103: User priv level changed: Uname: enable_15 From: 1 To: 15', ctx);
    expect([m.format, m.timeText, iso(m.time), m.hostname, m.tag]).toEqual(['rfc3164', '2014-11-07 11:18:33', '2014-11-07T11:18:33.000Z', 'FW-LZQ-MGJZZS-ASA5505-01', 'ASA-5-502103']);
    const prog = parseSyslog('2014-11-07 11:18:33 2001:db8::6 core1 sshd[12]: Accepted password for bob', ctx);
    expect([prog.hostname, prog.appName, prog.procId]).toEqual(['core1', 'sshd', '12']);
    // An address's text that is no tag or program keeps its first word.
    const text = parseSyslog('Nov  7 11:18:33 192.168.1.1 login failed for bob', ctx);
    expect([text.hostname, text.message]).toEqual(['192.168.1.1', 'login failed for bob']);
    // A spaced stamp later in a line is a word's, not a header's (`show version` printouts).
    expect(parseSyslog('      Built: 2017-06-07 03:35:36', ctx).format).toBe('bare');
    // Huawei's relay prefix is still its quirk's to read.
    const vrp = parseSyslog('2020-10-23 03:17:45 HUAWEI 192.168.0.58 23 6 %%01SHELL/6/DISPLAY_CMDRECORD(s)[204]: Recorded display command information.', ctx);
    expect([vrp.hostname, vrp.message.slice(0, 6)]).toEqual(['HUAWEI', '%%01SH']);
  });

  it("Kiwi Syslog Server's tab-separated file: its stamp, `Facility.Level`, the sender, then the message", () => {
    // Lines of test/corpus/syslog/cisco-asa/public-fwsm-parser-kiwi-file.relevant.
    const m = parseSyslog('2010-08-11 08:33:41\tLocal4.Critical\t10.0.100.2\tAug 11 2009 11:28:03: %FWSM-2-106007: Deny inbound UDP from 66.185.162.248/53 to 88.255.237.242/64967 due to DNS Response', ctx);
    expect([m.format, m.pri, m.hostname, m.timeText, iso(m.time), m.tag]).toEqual(['rfc3164', 162, '10.0.100.2', 'Aug 11 2009 11:28:03', '2009-08-11T11:28:03.000Z', 'FWSM-2-106007']);
    // The message's own host wins; with no stamp of its own, Kiwi's is the time.
    const named = parseSyslog('2022-02-08 17:22:43\tLocal4.Info\t135.123.66.134\tFeb  8 17:22:43 sbc1 SIPMESSAGE: hello', ctx);
    expect([named.hostname, named.appName, iso(named.time)]).toEqual(['sbc1', 'SIPMESSAGE', '2022-02-08T17:22:43.000Z']);
    const plain = parseSyslog('2022-02-08 17:22:43\tUser.Notice\tsrv1\tservice restarted', ctx);
    expect([plain.pri, plain.hostname, plain.timeText, plain.message]).toEqual([13, 'srv1', '2022-02-08 17:22:43', 'service restarted']);
    // A second field that is no facility and level: left whole, as tac_plus's file lines are.
    const tac = parseSyslog('2020-07-17 17:41:26 +0000\t10.1.1.2\tadmin\tssh\t10.1.1.1\tstop\ttask_id=129', ctx);
    expect([tac.format, tac.pri, tac.hostname]).toEqual(['bare', undefined, undefined]);
    expect(parseSyslog('2022-02-08 17:22:43\tLocal9.Info\th\tx', ctx).format).toBe('bare');
  });
});
