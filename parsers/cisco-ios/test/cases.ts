// Every line of test/corpus/syslog/cisco-ios/*.log and what it must yield (see test/parsers/cases/types.ts).

import type { CorpusCase } from '../../../test/parsers/cases/types.js';

const ELASTIC = 'syslog/cisco-ios/elastic-test-cisco-ios.log';
const ALERTS = 'syslog/cisco-ios/lab-alert-messages.log';
const LAB = 'syslog/cisco-ios/lab-syslog.log';

export const files = [ELASTIC, ALERTS, LAB];

// Headerless lines (lab-alert-messages.log) carry no device and no stamp: `device` is `unknown`
// and `time` the receive time, except where the text itself says when (SEC_LOGIN `at …`).
const RECEIVED = '2026-11-21T23:00:00.000Z';

const labCommand = (time: string, command: string) => ({
  kind: 'command', action: 'command', time, device: 'one.one.one.one', actor: 'console', path: 'cli', command, actorAddress: undefined,
}) as const;

export const cases: CorpusCase[] = [
  {
    file: ELASTIC, line: 1,
    expect: [{ kind: 'session', action: 'login', time: '2026-03-24T18:06:03.424Z', device: '192.168.100.2', actor: 'john.smith', actorAddress: '10.2.55.3', path: 'cli' }],
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
];
