// Huawei VRP beyond its header: command records and what a `local-user` command does, logins, the
// AAA module's messages, the `aaa` view's accounts, the secret grammar, auditability, and a pull
// through the emulator.
//
// Real text: the CE5810 `display current-configuration` (test/corpus/configs/huawei-vrp). Written
// lines: the message templates of Huawei's log references (SHELL/5/CMDRECORD,
// AAA/6/LOCALACCOUNT_PASSWORD_MODIFY, AAA/5/USER_LOCKED, AAA/6/LOCALACCOUNT_MODIFY_FAIL,
// CMD/4/SUPERLOGIN; test/corpus/syslog/huawei-vrp/*.vrp-logref holds them as printed) with invented
// users, addresses and commands. The pull's session is authored around the real configuration: no
// recorded VRP session is public (Oxidized has none); the prompt is the user view's `<HUAWEI>`, where
// an SSH login lands (the write-up printed the configuration from the `[~HUAWEI]` system view), and
// `screen-length 0 temporary` answers as VRP does.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpusPath } from '../../../test/support/corpus.js';
import { pullTranscript } from '../../../test/support/emulator/targets.js';
import { commandError } from '../../../src/pull/output.js';
import { recogniser, expectRecords } from '../../../test/parsers/harness.js';
import { audit } from '../audit.js';
import { accounts, redact, ssh } from '../config.js';
import { recognise } from '../syslog.js';

const CE5810 = readFileSync(corpusPath('configs', 'huawei-vrp', 'public-ce5810-display-current-configuration.relevant'), 'utf8');
/** What the configuration holds that must never be kept: the hash and the community cipher text. */
const CE5810_SECRETS = ['$1a$fb:J!Rwy*H$Dda$', 'IYO=$', '%@%@5Oo|+77#A0K', 'S-zbwC2G,r%@%@'];

const CMD = (user: string, command: string, task = 'VTY0') =>
  `<189>Jan 8 2013 03:58:15+07:00 CE-core %%01SHELL/5/CMDRECORD(s)[0]:Recorded command information. (Task=${task}, Ip=192.0.2.9, VpnName=, User=${user}, AuthenticationMethod="Local-user", Command="${command}")`;

describe('huawei-vrp command records', () => {
  const run = recogniser(recognise, 'huawei-vrp');

  it('reads what a local-user command does, with the typed secret removed', () => {
    const created = run(CMD('netops', 'local-user bob password irreversible-cipher Typed-Secret-1')).records;
    expectRecords(created, [
      { kind: 'command', actor: 'netops', actorAddress: '192.0.2.9', path: 'cli', command: 'local-user bob password irreversible-cipher <redacted>', time: '2013-01-07T20:58:15.000Z', device: 'CE-core' },
      { kind: 'account', action: 'account.set', target: 'bob', actor: 'netops', technique: 'T1136.001' },
    ]);
    expect(JSON.stringify(created)).not.toContain('Typed-Secret-1');
    expectRecords(run(CMD('netops', 'local-user bob privilege level 15')).records, [
      { kind: 'command' },
      // `local-user` makes the account it names when there is none: the reader resolves a set (src/ingest/resolve.ts).
      { kind: 'account', action: 'account.set', target: 'bob', privilege: '15', technique: 'T1098' },
    ]);
    expectRecords(run(CMD('netops', 'local-user bob level 3')).records, [{ kind: 'command' }, { kind: 'account', action: 'account.set', privilege: '3' }]);
    expectRecords(run(CMD('netops', 'local-user bob service-type ssh terminal')).records, [{ kind: 'command' }, { kind: 'account', action: 'account.modify', target: 'bob' }]);
    expectRecords(run(CMD('netops', 'undo local-user bob')).records, [{ kind: 'command' }, { kind: 'account', action: 'account.delete', target: 'bob', technique: 'T1531' }]);
    const cipher = run(CMD('netops', 'local-user eve password cipher %^%#a"b,c)d%^%#')).records;
    expect(JSON.stringify(cipher)).not.toContain('a"b,c)d');
  });

  it('reads a key bound to an SSH user as a login made, as the configuration reader counts one; other ssh user settings as commands alone', () => {
    // The NE40E guide's commands (test/corpus/configs/huawei-vrp/ne40e-stelnet-rsa-server.relevant).
    expectRecords(run(CMD('netops', 'ssh user client002 assign rsa-key rsakey001')).records, [
      { kind: 'command', command: 'ssh user client002 assign rsa-key rsakey001' },
      { kind: 'account', action: 'account.set', target: 'client002', technique: 'T1136.001' },
    ]);
    expectRecords(run(CMD('netops', 'ssh user "ops 2" assign ecc-key k2')).records, [{ kind: 'command' }, { kind: 'account', action: 'account.set', target: 'ops 2' }]);
    for (const command of ['ssh user client002', 'ssh user client002 authentication-type rsa', 'ssh user client002 service-type stelnet', 'display ssh user-information']) {
      expect(run(CMD('netops', command)).records.map((r) => r.kind), command).toEqual(['command']);
    }
  });

  it('is no account change when the words after local-user are not an account attribute', () => {
    for (const command of ['local-user policy security-enhance', 'undo local-user policy', 'display local-user', 'display current-configuration | include local-user']) {
      expect(run(CMD('netops', command)).records.map((r) => r.kind), command).toEqual(['command']);
    }
  });

  it('reads a failed command once: CMDRECORDFAILED repeats what CMDRECORD recorded', () => {
    const typed = CMD('netops', 'local-user bob privilege level 15');
    const failed = typed.replace('CMDRECORD(s)[0]:', 'CMDRECORDFAILED(s)[1]:').replace(/\)$/, ', Result="Failed")');
    expect(failed).toMatch(/%%01SHELL\/5\/CMDRECORDFAILED\(s\)\[1\]:Recorded command information\. \(.*, Result="Failed"\)$/);
    expect(run(typed).records.map((r) => r.kind)).toEqual(['command', 'account']);
    expect(run(failed)).toEqual({ records: [], unknown: [] });
  });

  it('names no one for `**` and reads the web task as the GUI', () => {
    expectRecords(run(CMD('**', 'sysname core1', 'CON0')).records, [{ kind: 'command', actor: undefined, path: 'cli' }]);
    expectRecords(run(CMD('admin', 'sysname core1', 'We0')).records, [{ kind: 'command', actor: 'admin', path: 'gui' }]);
  });

  it('reads a password changed through the web NMS, and counts AAA account messages it does not know', () => {
    const line = '<190>2013-01-08 03:58:15 CE-core %%01AAA/6/LOCALACCOUNT_PASSWORD_MODIFY(l):The user admin with IP address 192.0.2.9 changed the password of bob through the web NMS.';
    expectRecords(run(line).records, [{ kind: 'account', action: 'password.change', target: 'bob', actor: 'admin', actorAddress: '192.0.2.9', path: 'gui' }]);
    const other = run('<190>2013-01-08 03:58:15 CE-core %%01AAA/6/LOCALACCOUNT_MODIFY(l):something else');
    expect(other.records).toEqual([]);
    expect(other.unknown).toEqual(['AAA/LOCALACCOUNT_MODIFY']);
    expect(run('<190>2013-01-08 03:58:15 CE-core %%01AAA/6/LOCALACCOUNT_LOCK(l):The local account bob has been locked.').unknown).toEqual([]);
  });

  it('reads a lock or unlock an administrator types as a modify, and the AAA module\'s own lockouts and refusals as nothing', () => {
    expectRecords(run(CMD('netops', 'local-user bob state block')).records, [{ kind: 'command' }, { kind: 'account', action: 'account.modify', target: 'bob', actor: 'netops' }]);
    expectRecords(run(CMD('netops', 'local-user bob state active')).records, [{ kind: 'command' }, { kind: 'account', action: 'account.modify', target: 'bob' }]);
    expectRecords(run(CMD('netops', 'activate aaa local-user bob')).records, [{ kind: 'command' }, { kind: 'account', action: 'account.modify', target: 'bob', actor: 'netops' }]);
    expect(run(CMD('netops', 'activate aaa local-user')).records.map((r) => r.kind)).toEqual(['command']);
    for (const line of [
      '<189>Aug 6 2011 20:34:46 NE8000 %%01AAA/5/USER_LOCKED(s)[7]: User was locked. (User=bob, Continue failed times=5, Continue failed period=5, Locked duration=300, Access type=ssh)',
      '<190>Aug 6 2011 20:34:46 S5700 %%01AAA/6/LOCALACCOUNT_MODIFY_FAIL(s)[8]:Failed to modify local account bob password. FailReason = The new password is the same as a historical password.',
      '<190>Aug 6 2011 20:34:46 S5700 %%01AAA/6/LOCALACCOUNT_MODIFY_PASSWORD_LOCK(s)[9]:The password of local account bob cannot be changed.',
    ]) {
      expect(run(line), line).toEqual({ records: [], unknown: [] });
    }
  });

  it('reads a session raised with super at its new level; a failed one raises nothing', () => {
    const raised = '<188>Aug 6 2011 20:34:46 S5700 %%01CMD/4/SUPERLOGIN(s)[10]: User changed level. (User=netops, IpAddress=192.0.2.9, VpnName=, Level=15, Times=1, LoginResult=success)';
    expectRecords(run(raised).records, [{ kind: 'session', action: 'session.start', actor: 'netops', actorAddress: '192.0.2.9', privilege: '15', path: 'cli', device: 'S5700', time: '2011-08-06T20:34:46.000Z' }]);
    expect(run(raised.replace('LoginResult=success', 'LoginResult=failed')).records).toEqual([]);
    expect(run(raised.replace('Level=15', 'Level=99')).records).toEqual([]);
    expectRecords(run(raised.replace('User=netops, IpAddress=192.0.2.9', 'User=**, IpAddress=**')).records, [{ kind: 'session', actor: undefined, actorAddress: undefined, privilege: '15' }]);
  });

  it('rejects other vendors and Comware, and never throws on hostile text', () => {
    for (const line of [
      '<189>Dec  4 17:42:33 2019 H3C %%10SHELL/6/SHELL_CMD: -Line=vty0-IPAddr=192.0.2.9-User=bob; Command is local-user x',
      '<13>Nov 21 22:10:01 web01 sshd[123]: Accepted password for alice from 192.0.2.1 port 22 ssh2',
      '<189>Jan 8 2013 03:58:15 CE-core %%01IFNET/4/LINK_STATE(l):The line protocol IP on the interface GE1/0/1 has entered the UP state.',
    ]) expect(run(line).records).toEqual([]);
    const hostile = readFileSync(corpusPath('hostile-strings.txt'), 'utf8').split('\n').filter(Boolean);
    for (const h of [...hostile, '"'.repeat(20_000), '('.repeat(20_000), 'Command="'.repeat(2000)]) {
      expect(() => run(CMD(h, h))).not.toThrow();
      expect(() => run(`<190>2013-01-08 03:58:15 CE-core %%01AAA/6/LOCALACCOUNT_PASSWORD_MODIFY(l):The user ${h} with IP address ${h} changed the password of ${h} through the web NMS.`)).not.toThrow();
      expect(() => run(`<190>2013-01-08 03:58:15 CE-core %%01HTTPD/6/PASS(l)[1]:User ${h}(IP:${h} ID:1) login succeeded`)).not.toThrow();
    }
  });
});

describe('huawei-vrp configuration', () => {
  it('reads the CE5810 account: every line of one local-user merged, the level, a one-way hash', () => {
    const got = accounts(CE5810);
    expect(got.map(({ lines: _l, ...a }) => a)).toEqual([{ name: 'admin', roles: [], credentials: ['secret'], privilege: '15' }]);
    expect(got[0]!.lines).toEqual([
      ' local-user admin password irreversible-cipher <redacted>',
      ' local-user admin service-type telnet',
      ' local-user admin level 15',
    ]);
  });

  it('reads newer releases: privilege level, user groups, cipher and clear passwords; not local-user policy', () => {
    const text = ['aaa', ' local-user policy security-enhance', ' local-user ops password cipher %^%#x y%^%#', ' local-user ops privilege level 3', ' local-user ops user-group netops', ' local-user lab password simple Clear-1', '#', 'local-user stray password simple X'].join('\n');
    expect(accounts(text).map(({ lines: _l, ...a }) => a)).toEqual([
      { name: 'ops', roles: ['netops'], credentials: ['password'], privilege: '3' },
      { name: 'lab', roles: [], credentials: ['password'] },
    ]);
  });

  it('redacts every secret form and keeps the rest', () => {
    const out = redact(CE5810);
    for (const s of CE5810_SECRETS) expect(out).not.toContain(s);
    expect(out).toContain('snmp-agent community read cipher <redacted>');
    expect(out.split('\n').length).toBe(CE5810.split(/\r*\n/).length);
    const lines: Array<[string, string]> = [
      [' local-user a password simple Clear-1', ' local-user a password simple <redacted>'],
      [' local-user a password Clear-1', ' local-user a password <redacted>'],
      ['hwtacacs-server shared-key cipher %^%#k1 k2%^%#', 'hwtacacs-server shared-key cipher <redacted>'],
      [' radius-server shared-key simple Clear-2', ' radius-server shared-key simple <redacted>'],
      [' pre-shared-key Clear-3', ' pre-shared-key <redacted>'],
      ['snmp-agent community write Clear-4', 'snmp-agent community write <redacted>'],
      ['snmp-agent usm-user v3 u1 authentication-mode sha cipher %^%#a%^%# privacy-mode aes128 cipher %^%#b%^%#', 'snmp-agent usm-user v3 u1 authentication-mode sha cipher <redacted> privacy-mode aes128 cipher <redacted>'],
      [' ospf authentication-mode simple Clear-5', ' ospf authentication-mode simple <redacted>'],
      ['super password level 15 cipher %@%@z%@%@', 'super password level 15 cipher <redacted>'],
      // Algorithm lists are not secrets.
      ['ssh server cipher aes256_ctr aes128_ctr', 'ssh server cipher aes256_ctr aes128_ctr'],
      ['ssh client cipher aes256_ctr', 'ssh client cipher aes256_ctr'],
    ];
    for (const [line, want] of lines) expect(redact(line), line).toBe(want);
  });

  it('ignores the last-change stamps when judging a change', () => {
    const later = CE5810.replace('updated at 2023-09-21 05:46:58+00:00 by admin', 'updated at 2024-01-01 00:00:00+00:00 by bob');
    const strip = (t: string) => ssh.volatile.reduce((s, re) => s.replace(re, ''), redact(t));
    expect(strip(later)).toBe(strip(CE5810));
  });

  it('judges auditability', () => {
    const none = audit(CE5810, ['192.0.2.10']);
    expect(none.map((c) => [c.check, c.ok])).toEqual([['command-accounting', false], ['config-logging', true], ['logging-host', false]]);
    const good = audit(['aaa', ' cmd recording-scheme rec1', '#', 'info-center loghost 192.0.2.10'].join('\n'), ['192.0.2.10']);
    expect(good.every((c) => c.ok)).toBe(true);
    const cut = audit('info-center source default channel loghost log level warning\ninfo-center loghost 192.0.2.10', ['192.0.2.10']);
    expect(cut.find((c) => c.check === 'config-logging')?.ok).toBe(false);
  });

  it('knows a refused command, numbered or not (as gnetcli\'s Huawei tests have them)', () => {
    for (const [said, error] of [
      ["             ^\nError: Unrecognized command found at '^' position.\n", "Error: Unrecognized command found at '^' position."],
      ["              ^\nError[1]: Unrecognized command found at '^' position.\n", "Error[1]: Unrecognized command found at '^' position."],
      ["                                   ^\nError:Too many parameters found at '^' position.\n", "Error:Too many parameters found at '^' position."],
      ['\nError: You do not have permission to run the command or the command is incomplete.\n', 'Error: You do not have permission to run the command or the command is incomplete.'],
    ]) expect(commandError(said!, ssh.errors), said).toBe(error);
    expect(commandError('#\nsysname CE-core\n#\nreturn\n', ssh.errors)).toBeUndefined();
  });

  it('knows its prompts', () => {
    for (const p of ['<HUAWEI>', '[~HUAWEI]', '[*CE-core]', '[USG6300]', '<CE-core.lab>']) expect(ssh.prompt.test(p), p).toBe(true);
    // A hot-standby USG's role before it: read from devices (scrapli_community #145, netmiko #326 and #440).
    for (const p of ['HRP_M<hostname1>', 'HRP_A<ACTIVE>', 'HRP_M[FW1]', 'HRP_S<FW1>']) expect(ssh.prompt.test(p), p).toBe(true);
    for (const p of ['[~HUAWEI]display current-configuration', ' local-user admin level 15', '#', 'return', 'HRP_M[FW1]interface GigabitEthernet 0/0/4 (+B)']) expect(ssh.prompt.test(p), p).toBe(false);
  });
});

describe('huawei-vrp pull through the emulator', () => {
  const config = CE5810.replace(/^\[~HUAWEI\]display current-configuration\r?\n/, '').replace(/\[~HUAWEI\]\s*$/, '');
  const session = {
    name: 'huawei-vrp#CE5810_V100R003#authored',
    model: 'vrp',
    initPrompt: '\nInfo: The max number of VTY users is 5, and the number\n      of current VTY users on line is 1.\n<HUAWEI>',
    exchanges: [
      { command: 'screen-length 0 temporary', response: 'screen-length 0 temporary\nInfo: The configuration takes effect on the current user terminal interface only.\n<HUAWEI>' },
      { command: 'display current-configuration', response: `display current-configuration\n${config}<HUAWEI>` },
    ],
  };

  it('pulls display current-configuration, reads the account and keeps no secret', async () => {
    const { raw, digest, received } = await pullTranscript('huawei-vrp', session);
    // Only display commands reach the device (and the logout).
    expect(received.slice(0, 2)).toEqual(['screen-length 0 temporary', 'display current-configuration']);
    for (const r of received.slice(2)) expect(['exit', 'quit']).toContain(r);
    expect(raw).toContain('local-user admin level 15');
    expect(digest.accounts.map(({ name, privilege, credentials }) => ({ name, privilege, credentials }))).toEqual([{ name: 'admin', privilege: '15', credentials: ['secret'] }]);
    for (const s of CE5810_SECRETS) {
      expect(digest.redacted).not.toContain(s);
      for (const a of digest.accounts) expect(a.lines.join('\n')).not.toContain(s);
    }
  });

  it('pulls a USG of a hot-standby pair, whose prompt names its role (`HRP_M<hostname1>`, as scrapli_community #145 read it)', async () => {
    const hrp = (text: string): string => text.replace(/<HUAWEI>/g, 'HRP_M<hostname1>');
    const plain = await pullTranscript('huawei-vrp', session);
    const standby = await pullTranscript('huawei-vrp', {
      ...session,
      initPrompt: hrp(session.initPrompt),
      exchanges: session.exchanges.map((e) => ({ ...e, response: hrp(e.response) })),
    });
    expect(standby.received.slice(0, 2)).toEqual(['screen-length 0 temporary', 'display current-configuration']);
    expect(standby.raw).toBe(plain.raw);
  });

  it('reads through `  ---- More ----` pages that VRP blanks with ESC[42D, blanks and ESC[42D: the same text as unpaged', async () => {
    const plain = await pullTranscript('huawei-vrp', session);
    const paged = await pullTranscript('huawei-vrp', session, { pageLines: 10 });
    expect(paged.received.filter((c) => c === '<space>').length).toBeGreaterThan(2);
    expect(paged.raw).toBe(plain.raw);
  });
});
