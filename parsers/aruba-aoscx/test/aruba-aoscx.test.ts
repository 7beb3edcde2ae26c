// HPE Aruba AOS-CX: its corpus cases, the grammar of its accounts and secrets, auditability and
// hostile input. The recorded sessions (Oxidized's `aoscx#*`) are pulled through the emulator by
// test/pull/corpus.test.ts, from recordings.ts here. Written lines below use the event log's
// form with invented users.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { platformById } from '../../index.js';
import { redactSecrets } from '../../lib/secrets.js';
import { expectRecords, recogniser } from '../../../test/parsers/harness.js';
import { corpusPath } from '../../../test/support/corpus.js';
import { platformCaseProblems } from '../../../test/tools/corpus-cases.js';
import { audit } from '../audit.js';
import { accounts, redact, ssh } from '../config.js';
import { arubaAoscx } from '../index.js';
import { recognise } from '../syslog.js';
import { cases, files } from './cases.js';

describe('aruba-aoscx', () => {
  it('is found in its folder and yields what its corpus cases say', () => {
    expect(platformById('aruba-aoscx')).toBe(arubaAoscx);
    expect(platformCaseProblems(arubaAoscx, files, cases)).toEqual([]);
  });

  it('reads a REST write to a user under the versioned path, and counts user events it does not know', () => {
    const run = recogniser(recognise, 'aruba-aoscx');
    expectRecords(run('<190>1 2026-11-21T22:10:01Z sw1 hpe-restd 1 - - Event|4617|LOG_INFO|AMM|-|netops created /rest/v10.13/system/users/bob').records, [
      { kind: 'command', command: 'created /rest/v10.13/system/users/bob' },
      { kind: 'account', action: 'account.create', target: 'bob', actor: 'netops', path: 'rest' },
    ]);
    const other = run('<190>1 2026-11-21T22:10:01Z sw1 -vtysh 1 - - Event|4702|LOG_INFO|AMM|1/1|something about bob');
    expect(other.records).toEqual([]);
    expect(other.unknown).toEqual(['Event|4702']);
  });

  it('never throws on hostile text and rejects other traffic', () => {
    const run = recogniser(recognise, 'aruba-aoscx');
    expect(run('<13>Nov 21 22:10:01 web01 sshd[123]: Accepted password for alice from 192.0.2.1 port 22 ssh2').records).toEqual([]);
    const hostile = readFileSync(corpusPath('hostile-strings.txt'), 'utf8').split('\n').filter(Boolean);
    for (const h of [...hostile, '|'.repeat(50_000), ' '.repeat(50_000)]) {
      for (const id of [5209, 4618, 4701, 4659]) {
        expect(() => run(`<190>1 2026-11-21T22:10:01Z sw1 hpe-restd 1 - - Event|${id}|LOG_INFO|AMM|-|User ${h} added ${h} with role ${h}`)).not.toThrow();
        expect(() => run(`<190>1 2026-11-21T22:10:01Z sw1 hpe-restd 1 - - Event|${id}|LOG_INFO|AMM|-|${h} deleted /users/${h}`)).not.toThrow();
      }
    }
  });

  it('reads users: the group as role, ciphertext as a password, authorized keys; nothing else', () => {
    const text = [
      'user admin group administrators password ciphertext AQBapXYZ==',
      'user ops group operators password ciphertext <removed>',
      'user ops authorized-key ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl ops@host',
      'user-group netops',
      'snmpv3 user u1 auth sha auth-pass ciphertext AQB1 priv aes priv-pass ciphertext AQB2',
    ].join('\n');
    expect(accounts(text).map(({ lines: _l, ...a }) => a)).toEqual([
      { name: 'admin', roles: ['administrators'], credentials: ['password'] },
      { name: 'ops', roles: ['operators'], credentials: ['password', 'key'] },
    ]);
    expect(accounts(text)[1]!.lines[1]).toMatch(/^user ops authorized-key ssh-ed25519 <key SHA256:/);
  });

  it('redacts every secret form and keeps the rest', () => {
    const R = '<redacted>';
    const lines: Array<[string, string]> = [
      ['user admin group administrators password ciphertext AQBapXYZ==', `user admin group administrators password ciphertext ${R}`],
      ['tacacs-server host 192.0.2.1 key ciphertext AQBx', `tacacs-server host 192.0.2.1 key ciphertext ${R}`],
      ['radius-server host 192.0.2.2 key plaintext Clear1', `radius-server host 192.0.2.2 key plaintext ${R}`],
      ['tacacs-server key Clear2', `tacacs-server key ${R}`],
      ['snmp-server community readonlycom', `snmp-server community ${R}`],
      ['snmp-server host 10.7.32.31 trap version v2c community trapcomm ', `snmp-server host 10.7.32.31 trap version v2c community ${R} `],
      ['snmpv3 user u1 auth sha auth-pass ciphertext AQB1 priv aes priv-pass ciphertext AQB2', `snmpv3 user u1 auth sha auth-pass ciphertext ${R} priv aes priv-pass ciphertext ${R}`],
      ['!export-password: AQBexport', `!export-password: ${R}`],
      ['!export-password: default', '!export-password: default'],
      ['ssh key-exchange-algorithms curve25519-sha256 ecdh-sha2-nistp256', 'ssh key-exchange-algorithms curve25519-sha256 ecdh-sha2-nistp256'],
      ['snmp-server system-contact noc@example.com', 'snmp-server system-contact noc@example.com'],
    ];
    for (const [line, want] of lines) expect(redact(line), line).toBe(want);
  });

  it('keeps a TACACS+ key printed by event 2302 out of the stored line', () => {
    const line = readFileSync(corpusPath('syslog', 'aruba-aoscx', 'elastic-test-aruba-cx.log.relevant'), 'utf8').split('\n')[8]!;
    expect(line).toContain('tacacs_passkey update');
    expect(redactSecrets(line)).not.toContain('ABCdefghij+klmNO1pQrSTu23vWXy4ZAbc5dEfGHIjKlMNoPQrATUVWxYZAB6CDeFgHI');
  });

  it('judges auditability', () => {
    expect(audit('aaa accounting all-mgmt default start-stop group tacacs\nlogging 192.0.2.10\nlogging facility local0', ['192.0.2.10']).every((c) => c.ok)).toBe(true);
    expect(audit('logging filter no_restd\nlogging facility local0', []).map((c) => [c.check, c.ok])).toEqual([['command-accounting', false], ['logging-host', false]]);
  });

  it('knows its prompts (the corpus #prompt.yaml cases)', () => {
    for (const p of ['LAB-SW1234# ', '\rssh prompt# '.replace(' prompt', '-prompt'), 'sw1> ', 'oxid-ized-42-sw12# ']) expect(ssh.prompt.test(p), p).toBe(true);
    for (const p of ['user admin group administrators password ciphertext x#', 'Current configuration:']) expect(ssh.prompt.test(p), p).toBe(false);
  });
});
