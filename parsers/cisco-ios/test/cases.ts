// Every line of test/corpus/syslog/cisco-ios/*.log and what it must yield (see test/parsers/cases/types.ts).

import type { CorpusCase } from '../../../test/parsers/cases/types.js';
import { none } from '../../../test/tools/corpus-cases.js';

const ELASTIC = 'syslog/cisco-ios/elastic-test-cisco-ios.log';
const ALERTS = 'syslog/cisco-ios/lab-alert-messages.log';
const LAB = 'syslog/cisco-ios/lab-syslog.log';

const SEKOIA = 'syslog/cisco-ios/sekoia-cisco-ios.relevant';

// probe-syslog3 (2026-12-07): the Catalyst (IOS) lines of Elastic's Nexus test log, behind a relay's
// header and the switch's own AEST stamp (the rest of that log is test/corpus/syslog/cisco-nxos's).
const NEXUS_IOS = 'syslog/cisco-ios/elastic-test-nexus-ios.log';

export const files = [ELASTIC, ALERTS, LAB, SEKOIA, NEXUS_IOS];

// Headerless lines (lab-alert-messages.log) carry no device and no stamp: `device` is `unknown`
// and `time` the receive time, except where the text itself says when (SEC_LOGIN `at …`).
const RECEIVED = '2026-11-21T23:00:00.000Z';

const labCommand = (time: string, command: string) => ({
  kind: 'command', action: 'command', time, device: 'one.one.one.one', actor: 'console', path: 'cli', command, actorAddress: undefined,
}) as const;

export const cases: CorpusCase[] = [
  {
    file: ELASTIC, line: 1,
    note: "the header's stamp has no year; the login's `at … Wed Mar 24 2021` gives it (its MST is the clock's own name, an hour off the header's UTC: the header's time of day stands)",
    expect: [{ kind: 'session', action: 'login', time: '2021-03-24T18:06:03.424Z', device: '192.168.100.2', actor: 'john.smith', actorAddress: '10.2.55.3', path: 'cli' }],
  },
  {
    file: ELASTIC, line: 2,
    expect: [{ kind: 'session', action: 'logout', time: '2026-03-24T18:06:00.364Z', device: '192.168.100.2', actor: 'john.smith', actorAddress: '10.5.36.9', path: 'cli' }],
  },
  { file: ALERTS, line: 1, expect: [], note: 'SYS-6-PRIVCFG_ENCRYPT_SUCCESS text without its tag: not AAA' },
  {
    file: ALERTS, line: 2,
    expect: [{ kind: 'command', action: 'command', time: RECEIVED, device: 'unknown', actor: 'vagrant', path: 'cli', command: '!config: USER TABLE MODIFIED' }],
    note: 'the archive notes the user table changed; no account is named, so no account record',
  },
  {
    file: ALERTS, line: 3, expect: [],
    note: 'DMI-5-SYNC_NEEDED: the CLI change it mentions (name masked) is the CFGLOG line 4',
  },
  {
    file: ALERTS, line: 4,
    expect: [
      { kind: 'command', action: 'command', time: RECEIVED, device: 'unknown', actor: 'vagrant', path: 'cli', command: 'username adminprod privilege 15 secret *' },
      {
        kind: 'account', action: 'account.set', time: RECEIVED, device: 'unknown', target: 'adminprod', privilege: '15', actor: 'vagrant',
        path: 'cli', technique: 'T1136.001', command: 'username adminprod privilege 15 secret *', role: undefined,
      },
    ],
  },
  {
    file: ALERTS, line: 5,
    expect: [{ kind: 'session', action: 'login', time: '2025-09-29T17:22:00.000Z', device: 'unknown', actor: 'vagrant', actorAddress: '100.66.0.6', path: 'cli' }],
    note: 'no header stamp: the time is the text\'s own `at 19:22:00 CEST Mon Sep 29 2025`',
  },
  { file: LAB, line: 1, expect: [labCommand('2026-01-06T10:24:17.000Z', 'ip ssh authentication-retries 2')] },
  { file: LAB, line: 2, expect: [labCommand('2026-01-06T10:24:17.000Z', 'ip ssh logging events')] },
  { file: LAB, line: 3, expect: [labCommand('2026-01-06T10:24:19.000Z', 'ip ssh version 2')] },
  {
    file: LAB, line: 4, expect: [labCommand('2026-01-06T10:24:39.000Z', 'Configured from console by console')],
    note: 'SYS-5-CONFIG_I: the device sentence is the command; `console` is the user IOS names for an unauthenticated console',
  },
  { file: LAB, line: 5, expect: [labCommand('2026-01-06T10:36:06.000Z', 'enable')], note: '`!exec: enable`: an exec-mode command' },
  { file: LAB, line: 6, expect: [labCommand('2026-01-06T11:20:38.000Z', 'enable')] },
  { file: LAB, line: 7, expect: [labCommand('2026-01-06T11:20:50.000Z', 'snmp-server community * ro')], note: 'community already masked by the device' },
  { file: LAB, line: 8, expect: [labCommand('2026-01-06T11:20:50.000Z', 'snmp-server host 7.7.7.7 version 2c *')] },
  { file: LAB, line: 9, expect: [labCommand('2026-01-06T11:20:53.000Z', 'Configured from console by console')] },
  { file: LAB, line: 10, expect: [labCommand('2026-01-06T11:39:01.000Z', 'enable')] },

  // Probe 5 (test/corpus/README.md): Sekoia's IOS intake test messages, most without the header the device sent.
  ...none(SEKOIA, [8, 9, 11, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 25, 28, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 44, 45, 46, 47, 48], 'no AAA content: links, DHCP snooping, ACL hits, 802.1X, NTP, CDP'),
  { file: SEKOIA, line: 4, expect: [], note: "`SYS-5-PRIV_AUTH_FAIL`: `enable` refused, a session's level, no account" },
  { file: SEKOIA, line: 6, expect: [], note: "`SYS-5-PRIV_AUTH_PASS`: `enable` to a level, a session's elevation, not an account change" },
  { file: SEKOIA, line: 12, expect: [], note: '`SYS-4-CONFIG_RESOLVE_FAILURE`: a configuration file not read, no user' },
  { file: SEKOIA, line: 49, expect: [], note: '`AAA-5-USER_RESET`: failed attempts cleared; the `clear aaa local user` command that did it is on the trail when accounted' },
  { file: SEKOIA, line: 51, expect: [], note: '`AAAA-4-CLI_DEPRECATED`: a warning about a type 7 password, no account named' },
  { file: SEKOIA, line: 1, note: 'local command accounting (`ACCTLOCAL`), with the privilege level; the `<cr>` end marker left out', expect: [{kind: 'command', time: '2026-10-19T18:30:13.311Z', device: 'unknown', action: 'command', command: 'verify /md5 system:memory/text', actor: 'Admin', path: 'cli', privilege: '15'}] },
  { file: SEKOIA, line: 2, expect: [{kind: 'command', time: '2026-10-19T18:30:17.105Z', device: 'unknown', action: 'command', command: 'show clock detail', actor: 'Admin', path: 'cli', privilege: '1'}] },
  { file: SEKOIA, line: 3, expect: [{kind: 'session', time: '2026-10-19T18:29:00.044Z', device: 'unknown', action: 'login.failed', actorAddress: '1.2.3.4', path: 'netconf'}] },
  { file: SEKOIA, line: 5, expect: [{kind: 'session', time: '2026-10-19T19:32:12.312Z', device: 'unknown', action: 'login', actor: 'jdoe', actorAddress: '1.2.3.4', path: 'netconf'}] },
  { file: SEKOIA, line: 7, expect: [{kind: 'session', time: '2026-11-25T22:06:10.000Z', device: 'unknown', action: 'login', actor: 'JOHNDOE', actorAddress: '1.2.3.4', path: 'netconf'}] },
  { file: SEKOIA, line: 10, expect: [{kind: 'command', time: '2026-10-17T19:09:03.674Z', device: 'unknown', action: 'command', command: 'Configured from console by johndoe on vty1 (1.2.3.4)', actor: 'johndoe', actorAddress: '1.2.3.4', path: 'cli'}] },
  { file: SEKOIA, line: 23, expect: [{kind: 'command', time: '2026-10-19T19:40:06.358Z', device: 'HOSTNAME', action: 'command', command: 'enable', actor: 'jdoe', path: 'cli'}] },
  { file: SEKOIA, line: 24, expect: [{kind: 'session', time: '2023-01-13T10:16:05.330Z', device: 'HOSTNAME', action: 'login', actor: 'jdoe', actorAddress: '1.2.3.4', path: 'cli'}] },
  { file: SEKOIA, line: 26, note: 'the year from the failed login\'s own `at … Tue Aug 26 2025`', expect: [{kind: 'session', time: '2025-08-26T18:04:18.523Z', device: 'unknown', action: 'login.failed', actorAddress: '1.2.3.4', path: 'cli'}] },
  { file: SEKOIA, line: 27, expect: [{kind: 'session', time: '2026-08-26T18:04:18.523Z', device: 'unknown', action: 'login.failed', actorAddress: '1.2.3.4', path: 'cli'}] },
  { file: SEKOIA, line: 29, expect: [{kind: 'session', time: '2023-01-13T10:16:05.330Z', device: 'HOSTNAME', action: 'logout', actor: 'jdoe', actorAddress: '1.2.3.4', path: 'cli'}] },
  { file: SEKOIA, line: 43, expect: [{kind: 'session', time: '2026-10-19T19:42:11.137Z', device: 'unknown', action: 'login', actor: 'jdoe', actorAddress: '1.2.3.4', path: 'cli'}] },
  { file: SEKOIA, line: 50, note: '`user with username: admin configured`: a username line entered (IOS-XE 17); no actor named; the time from `PDT`', expect: [{kind: 'account', time: '2026-09-19T02:32:40.312Z', device: 'HOSTNAME', action: 'account.set', target: 'admin', technique: 'T1136.001'}] },
  {
    file: NEXUS_IOS, line: 1, note: 'the header\'s AEST stamp in the year of the body\'s `at … 2023` (the body\'s time of day is another clock\'s)',
    expect: [{ kind: 'session', time: '2023-05-03T03:20:48.739Z', device: '10.100.0.34', action: 'login', actor: 'username', actorAddress: '81.2.69.142', path: 'cli' }],
  },
  {
    file: NEXUS_IOS, line: 2, note: 'no year anywhere: the receive time\'s',
    expect: [{ kind: 'session', time: '2026-05-03T03:20:48.739Z', device: 'ac508f-sr1', action: 'logout', actor: 'username', actorAddress: '81.2.69.142', path: 'cli' }],
  },
  ...none(NEXUS_IOS, [3, 4, 5], 'interface and optics messages'),
];
