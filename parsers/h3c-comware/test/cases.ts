// Every line of test/corpus/syslog/h3c-comware/ and what it must yield (see
// test/parsers/cases/types.ts). Read by `npm run corpus` and h3c-comware.test.ts.

import type { CorpusCase } from '../../../test/parsers/cases/types.js';

const FW = 'syslog/h3c-comware/public-h3c-firewall-shell.relevant';
const LAB = 'syslog/h3c-comware/public-lab-notes-s5130.relevant';
const WAZUH = 'syslog/h3c-comware/wazuh-0125-hp_decoders.xml.relevant';
const SECLOG = 'syslog/h3c-comware/public-lab-notes-seclog.relevant';

export const files = [FW, LAB, WAZUH, SECLOG];

const P = { platform: 'h3c-comware' } as const;
const session = (action: 'login' | 'logout' | 'login.failed', device: string, extra: Record<string, unknown>): CorpusCase['expect'] =>
  [{ ...P, kind: 'session', action, device, path: 'cli', ...extra }];
const cmd = (device: string, command: string, extra: Record<string, unknown> = {}): CorpusCase['expect'] =>
  [{ ...P, kind: 'command', action: 'command', device, command, path: 'cli', ...extra }];

export const cases: CorpusCase[] = [
  { file: FW, line: 1, expect: session('logout', 'H3C', { actor: 'admgbzwy', session: 'vty1' }), note: 'user@domain(@context) → the local user name; a line, not an address' },
  { file: FW, line: 2, expect: cmd('H3C', 'dis object-policy ip', { actor: 'admgbzwy', actorAddress: undefined }) },
  { file: FW, line: 3, expect: [], note: 'a command that failed to parse changed nothing' },
  { file: FW, line: 4, expect: session('login', 'H3C', { actor: 'admgbzwy', session: 'vty1' }) },

  { file: LAB, line: 1, expect: session('login', 'SW-1', { actor: 'xjdl', actorAddress: '172.20.99.241', time: '2013-01-02T05:56:23.694Z' }),
    note: 'Comware 5 header (leading %, milliseconds after a colon, no %%): read by the platform\'s header quirk' },
  { file: LAB, line: 2, expect: session('login.failed', 'SW-1', { actor: 'xjdl', actorAddress: '172.20.99.241' }), note: '%% without a version' },
  { file: LAB, line: 3, expect: session('login.failed', 'wangkongshi', { actor: 'xjdl', actorAddress: '192.168.10.20', session: 'VTY0' }) },
  { file: LAB, line: 4, expect: session('login', 'SW-1', { actor: 'xjdl', actorAddress: '172.20.99.241' }) },
  { file: LAB, line: 5, expect: session('login', 'wangkongshi', { actor: 'xjdl', actorAddress: '127.0.0.1' }) },
  { file: LAB, line: 6, expect: session('logout', 'SW-1', { actor: 'xjdl', actorAddress: '172.20.99.241' }) },
  { file: LAB, line: 7, expect: session('logout', 'wangkongshi', { actor: 'xjdl', actorAddress: '127.0.0.1' }) },
  { file: LAB, line: 8, expect: cmd('SW-1', 'sys', { actor: undefined }), note: 'User=** on the console: nobody named' },
  { file: LAB, line: 9, expect: cmd('sw', 'undo snmp-agent', { actor: undefined }) },
  { file: LAB, line: 10, expect: session('login.failed', 'sw', { actor: 'a', session: 'aux0' }) },
  { file: LAB, line: 11, expect: session('login.failed', 'wangkongshi', { actor: undefined, session: 'AUX0' }), note: 'a failed console login names no user' },
  { file: LAB, line: 12, expect: session('login', 'sw', { actor: 'aaa', session: 'aux0' }) },
  { file: LAB, line: 13, expect: session('login', 'wangkongshi', { actor: undefined, session: 'aux0' }), note: '`Console` is the console without a user, not an account' },
  { file: LAB, line: 14, expect: session('logout', 'sw', { actor: 'aaa', session: 'aux0' }) },
  { file: LAB, line: 15, expect: session('logout', 'wangkongshi', { actor: undefined, session: 'aux0' }) },
  { file: LAB, line: 16, expect: cmd('sw', 'quit', { actor: 'aaa' }) },
  { file: LAB, line: 17, expect: cmd('wangkongshi', 'info-center loghost 192.168.10.100', { actor: undefined }), note: '-Task=au0 in place of -Line=' },
  { file: LAB, line: 18, expect: cmd('sw', 'password simple ******', { actor: 'aaa' }),
    note: 'Comware masks the typed value itself; no local-user view was entered before it in this file (the lines are not one session), so no account is named' },
  { file: LAB, line: 19, expect: cmd('sw', 'password simple ******', { actor: 'aaa', actorAddress: '222.111.112.248' }) },
  { file: LAB, line: 20, expect: cmd('sw', 'dis current-configuration', { actor: 'aaa', actorAddress: '222.111.112.248' }) },
  { file: LAB, line: 21, expect: cmd('sw', 'qu', { actor: 'aaa' }) },
  { file: LAB, line: 22, expect: cmd('sw', 'dis current-configuration', { actor: 'aaa', actorAddress: '222.111.112.248' }) },
  { file: LAB, line: 23, expect: [], note: 'link state' },
  { file: LAB, line: 24, expect: [], note: 'line protocol state' },

  { file: WAZUH, line: 1, expect: [{ ...P, kind: 'session', action: 'login.failed', device: 'HP-5500EI-HO', actor: 'dfddfd', actorAddress: '10.10.10.27', path: 'gui' }] },
  { file: WAZUH, line: 2, expect: [{ ...P, kind: 'session', action: 'login.failed', device: 'HP-5500EI-HO', actor: 'dfddfd', actorAddress: '10.10.10.27', path: 'gui' }] },
  { file: WAZUH, line: 3, expect: [{ ...P, kind: 'session', action: 'login.failed', device: 'HP-5500EI-HO', actor: 'dfddfd', path: 'gui' }], note: 'the trap form: the user after the OID' },

  { file: SECLOG, line: 1, expect: cmd('D-CJ-XGB-S1-1', 'password cipher ******', { actor: 'XJcjdd_2016q2', actorAddress: undefined, time: '2020-01-15T19:30:23.000Z' }),
    note: 'Comware 5 header without milliseconds; the security log (SHELL_SECLOG) carries the command in SHELL_CMD\'s form; no view entered before it here, so no account is named' },
  { file: SECLOG, line: 2, expect: cmd('XinGuBian-SW-2-3600-1', 'dis local-user', { actor: 'xjdl', actorAddress: undefined }), note: 'the console (au0): no address' },
  { file: SECLOG, line: 3, expect: cmd('XinGuBian-SW-2-3600-1', 'local-user guanli', { actor: 'xjdl' }), note: 'entering guanli\'s view changes nothing yet' },
  { file: SECLOG, line: 4, expect: cmd('XinGuBian-SW-2-3600-1', 'sys', { actor: 'xjdl', actorAddress: '65.101.10.254' }), note: 'another session (vt0): the console\'s view is not this one\'s' },
  { file: SECLOG, line: 5, expect: cmd('XinGuBian-SW-2-3600-1', 'local-user guanli', { actor: 'xjdl', actorAddress: '65.101.10.254' }) },
  { file: SECLOG, line: 6, expect: [
    ...cmd('XinGuBian-SW-2-3600-1', 'password cipher ******', { actor: 'xjdl', actorAddress: '65.101.10.254', time: '2020-01-15T20:15:28.000Z' }),
    { ...P, kind: 'account', action: 'account.set', target: 'guanli', actor: 'xjdl', actorAddress: '65.101.10.254', path: 'cli', technique: 'T1136.001', command: 'password cipher ******' },
  ], note: 'a password set in guanli\'s view over SSH: the account change, attributed to xjdl (the reader makes it a create or a modify)' },
];
