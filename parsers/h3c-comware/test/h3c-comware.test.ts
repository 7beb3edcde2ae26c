// H3C Comware: its corpus cases, Comware 5's header, a local user changed inside its view (the
// session followed), accounts of both generations, the secret grammar and auditability. The
// recorded session is pulled through the emulator by test/pull/corpus.test.ts from recordings.ts.
// Written lines use the SHELL_CMD form of the corpus with invented users, addresses and commands;
// the configuration blocks follow the HPE Comware command references cited in docs/notes/platforms.md.

import { readFileSync } from 'node:fs';
import type { RecogniseContext } from '../../../src/types.js';
import { describe, expect, it } from 'vitest';
import { platformById } from '../../index.js';
import { parseSyslog } from '../../../src/ingest/header.js';
import { expectRecords, recogniser } from '../../../test/parsers/harness.js';
import { corpusPath } from '../../../test/support/corpus.js';
import { pullTranscript } from '../../../test/support/emulator/targets.js';
import { loadTranscript } from '../../../test/support/emulator/transcript.js';
import { platformCaseProblems } from '../../../test/tools/corpus-cases.js';
import { audit } from '../audit.js';
import { accounts, redact, ssh } from '../config.js';
import { h3cComware } from '../index.js';
import { recognise } from '../syslog.js';
import { cases, files } from './cases.js';

const CMD = (line: string, user: string, command: string) =>
  `<190>Dec 17 17:30:57 2019 sw1 %%10SHELL/6/SHELL_CMD: -Line=${line}-IPAddr=192.0.2.9-User=${user}; Command is ${command}`;

describe('h3c-comware', () => {
  it('is found in its folder and yields what its corpus cases say', () => {
    expect(platformById('h3c-comware')).toBe(h3cComware);
    expect(platformCaseProblems(h3cComware, files, cases)).toEqual([]);
  });

  it('reads Comware 5\'s header only when the shared scanner cannot', () => {
    const m = parseSyslog('%Jan  2 05:56:23:694 2013 SW-1 SHELL/5/SHELL_LOGIN: xjdl logged in from 172.20.99.241.', { receivedAt: Date.parse('2026-11-21T23:00:00Z'), transport: 'udp' });
    expect([m.hostname, new Date(m.time).toISOString()]).toEqual(['SW-1', '2013-01-02T05:56:23.694Z']);
    const plain = parseSyslog('%Jan 15 19:30:23 2020 D-CJ-XGB-S1-1 SHELL/6/SHELL_SECLOG: -Task=au0-IPAddr=**-User=x; Command is sys', { receivedAt: Date.parse('2026-11-21T23:00:00Z'), transport: 'udp' });
    expect([plain.hostname, new Date(plain.time).toISOString(), plain.appName]).toEqual(['D-CJ-XGB-S1-1', '2020-01-15T19:30:23.000Z', 'SHELL/6/SHELL_SECLOG']);
  });

  it('follows a session into a local user\'s view', () => {
    const run = recogniser(recognise, 'h3c-comware');
    expect(run(CMD('vty0', 'netops', 'local-user bob class manage')).records.map((r) => r.kind)).toEqual(['command']);
    // Another session's commands do not touch bob.
    expect(run(CMD('vty1', 'other', 'password simple Typed-1')).records.map((r) => r.kind)).toEqual(['command']);
    const set = run(CMD('vty0', 'netops', 'password simple Typed-2')).records;
    expectRecords(set, [
      { kind: 'command', command: 'password simple <redacted>', actor: 'netops' },
      { kind: 'account', action: 'account.set', target: 'bob', actor: 'netops', actorAddress: '192.0.2.9', path: 'cli' },
    ]);
    expect(JSON.stringify(set)).not.toContain('Typed-2');
    expectRecords(run(CMD('vty0', 'netops', 'authorization-attribute user-role network-admin')).records, [
      { kind: 'command' },
      { kind: 'account', action: 'privilege.change', target: 'bob', role: 'network-admin', technique: 'T1098' },
    ]);
    expectRecords(run(CMD('vty0', 'netops', 'service-type ssh terminal')).records, [{ kind: 'command' }, { kind: 'account', action: 'account.modify', target: 'bob' }]);
    // Leaving the view ends it.
    expect(run(CMD('vty0', 'netops', 'quit')).records.map((r) => r.kind)).toEqual(['command']);
    expect(run(CMD('vty0', 'netops', 'password simple Typed-3')).records.map((r) => r.kind)).toEqual(['command']);
    expectRecords(run(CMD('vty0', 'netops', 'undo local-user bob class manage')).records, [{ kind: 'command' }, { kind: 'account', action: 'account.delete', target: 'bob' }]);
    // Access users (class network) are not administrators.
    run(CMD('vty0', 'netops', 'local-user guest class network'));
    expect(run(CMD('vty0', 'netops', 'password simple x')).records.map((r) => r.kind)).toEqual(['command']);
  });

  it('an SSH user given a key is an account set; an SSH user\'s other settings, or its undo, a modify', () => {
    // Commands as HPE's Comware 7 SSH configuration guide writes them (not corpus lines).
    const run = recogniser(recognise, 'h3c-comware');
    expectRecords(run(CMD('vty0', 'netops', 'ssh user robert service-type stelnet authentication-type publickey assign publickey robkey')).records, [
      { kind: 'command' },
      { kind: 'account', action: 'account.set', target: 'robert', actor: 'netops', technique: 'T1098.004' },
    ]);
    // Comware 5 types the parts one by one.
    expectRecords(run(CMD('vty0', 'netops', 'ssh user robert authentication-type password-publickey')).records, [{ kind: 'command' }, { kind: 'account', action: 'account.set', target: 'robert' }]);
    expectRecords(run(CMD('vty0', 'netops', 'ssh user robert service-type stelnet')).records, [{ kind: 'command' }, { kind: 'account', action: 'account.modify', target: 'robert' }]);
    expectRecords(run(CMD('vty0', 'netops', 'undo ssh user robert')).records, [{ kind: 'command' }, { kind: 'account', action: 'account.modify', target: 'robert' }]);
    // Typed inside a local user's view, it ends that view.
    run(CMD('vty0', 'netops', 'local-user bob class manage'));
    run(CMD('vty0', 'netops', 'ssh user robert service-type stelnet authentication-type password'));
    expect(run(CMD('vty0', 'netops', 'password simple x')).records.map((r) => r.kind)).toEqual(['command']);
  });

  it('follows at most 10,000 sessions, forgetting the one idle longest', () => {
    // Straight to recognise with one context (the harness's per-line header parse and offer check
    // would cost ten thousand of each): the table's bound is what is tested here.
    const state = new Map<string, unknown>();
    const ctx: RecogniseContext = {
      state: <T,>(key: string, init: () => T): T => (state.has(key) ? state.get(key) : state.set(key, init()).get(key)) as T,
      unknown: () => undefined,
      zoneFor: () => undefined,
    };
    const template = parseSyslog(CMD('vtyN', 'nN', 'local-user uN class manage'), { receivedAt: Date.parse('2026-11-21T23:00:00Z'), transport: 'udp' });
    const send = (line: string, user: string, command: string) =>
      recognise({ ...template, message: template.message.replace('vtyN', line).replace('User=nN', `User=${user}`).replace('local-user uN class manage', command) }, ctx).map((r) => r.kind);
    send('vty0', 'first', 'local-user u0 class manage');
    send('vty1', 'second', 'local-user u1 class manage');
    for (let i = 2; i < 10_000; i++) send(`vty${i}`, `n${i}`, `local-user u${i} class manage`);
    // Full: the first session is used again, so the second is now the one idle longest.
    expect(send('vty0', 'first', 'service-type ssh')).toEqual(['command', 'account']);
    send('vty10000', 'n10000', 'local-user u10000 class manage');
    expect(send('vty1', 'second', 'service-type ssh')).toEqual(['command']);
    expect(send('vty0', 'first', 'service-type ssh')).toEqual(['command', 'account']);
    expect(send('vty2', 'n2', 'service-type ssh')).toEqual(['command', 'account']);
    expect(send('vty10000', 'n10000', 'service-type ssh')).toEqual(['command', 'account']);
  });

  it('reads local users of Comware 7 and Comware 5; not access users', () => {
    const text = [
      'local-user admin class manage',
      ' password hash $h$6$Ab1cDEFgh$Ijkl==',
      ' service-type ssh terminal https',
      ' authorization-attribute user-role network-admin',
      ' authorization-attribute user-role network-operator',
      '#',
      'local-user old',
      ' password cipher $c$3$abcDEF==',
      ' authorization-attribute level 3',
      '#',
      'local-user ppp1 class network',
      ' password cipher $c$3$xyz==',
      '#',
    ].join('\n');
    const got = accounts(text);
    expect(got.map(({ lines: _l, ...a }) => a)).toEqual([
      { name: 'admin', roles: ['network-admin', 'network-operator'], credentials: ['secret'] },
      { name: 'old', roles: [], credentials: ['password'], privilege: '15' },
    ]);
    expect(JSON.stringify(got)).not.toMatch(/Ab1cDEFgh|abcDEF/);
  });

  it('redacts every secret form and keeps the rest', () => {
    const R = '<redacted>';
    const lines: Array<[string, string]> = [
      [' password hash $h$6$Ab1c$Ijkl==', ` password hash ${R}`],
      [' password simple Clear-1', ` password simple ${R}`],
      ['super password role network-admin hash $h$6$x$y', `super password role network-admin hash ${R}`],
      [' key authentication cipher $c$3$k1==', ` key authentication cipher ${R}`],
      [' key accounting simple Clear-2', ` key accounting simple ${R}`],
      ['snmp-agent community read simple public1', `snmp-agent community read simple ${R}`],
      ['snmp-agent community write Clear-3', `snmp-agent community write ${R}`],
      ['snmp-agent usm-user v3 u1 g1 cipher authentication-mode sha $c$3$a== privacy-mode aes128 $c$3$b==', `snmp-agent usm-user v3 u1 g1 cipher authentication-mode sha ${R} privacy-mode aes128 ${R}`],
      [' pre-shared-key cipher $c$3$p==', ` pre-shared-key cipher ${R}`],
      [' description password-reset desk', ' description password-reset desk'],
    ];
    for (const [line, want] of lines) expect(redact(line), line).toBe(want);
  });

  it('judges auditability', () => {
    const good = ['line vty 0 63', ' command accounting', '#', 'domain system', ' accounting command hwtacacs-scheme tac', '#', 'info-center loghost 192.0.2.10'].join('\n');
    expect(audit(good, ['192.0.2.10']).every((c) => c.ok)).toBe(true);
    expect(audit('info-center source default loghost deny', []).map((c) => [c.check, c.ok])).toEqual([['command-accounting', false], ['config-logging', false], ['logging-host', false]]);
  });

  it.each([
    ['a firewall of an RBM pair, whose prompt names its role', 'RBM_P<test5130st1>'],
    ['a device in mmi-mode, whose prompt begins (M)', '(M)<test5130st1>'],
  ])('pulls %s (`%s`): the same text', async (_, prompt) => {
    const t = loadTranscript(corpusPath('ssh-sessions', 'h3c#5130-48G_7.1.070#simulation.yaml'));
    const marked = (text: string): string => text.replace(/<test5130st1>/g, prompt);
    const plain = await pullTranscript('h3c-comware', t);
    const pulled = await pullTranscript('h3c-comware', { ...t, initPrompt: marked(t.initPrompt), exchanges: t.exchanges.map((e) => ({ ...e, response: marked(e.response) })) });
    expect(pulled.received.slice(0, 2)).toEqual(['screen-length disable', 'display current-configuration']);
    expect(pulled.raw).toBe(plain.raw);
  });

  it('knows its prompts (the corpus #prompt.yaml cases, an RBM pair member\'s, mmi-mode\'s) and never throws on hostile text', () => {
    for (const p of ['<test5130st1>', '[test5130st1]', '\0<sw1>\x07', 'RBM_P<hostname>', 'RBM_S[hostname]', '(M)<sw1>', '(M)[sw1]']) expect(ssh.prompt.test(p), JSON.stringify(p)).toBe(true);
    for (const p of ['(M)', '(X)<sw1>', '(M)RBM_P<sw1>']) expect(ssh.prompt.test(p), JSON.stringify(p)).toBe(false);
    expect(ssh.prompt.test(' authorization-attribute user-role network-admin')).toBe(false);
    const run = recogniser(recognise, 'h3c-comware');
    const hostile = readFileSync(corpusPath('hostile-strings.txt'), 'utf8').split('\n').filter(Boolean);
    for (const h of [...hostile, '-'.repeat(50_000), ';'.repeat(50_000)]) {
      expect(() => run(CMD(h, h, `local-user ${h}`))).not.toThrow();
      expect(() => run(CMD(h, h, `password simple ${h}`))).not.toThrow();
      expect(() => run(`<189>Dec 17 17:03:30 2019 sw %%10SHELL/5/SHELL_LOGIN: ${h} logged in from ${h}.`)).not.toThrow();
    }
  });
});
