// FortiManager: its corpus cases, administrators under `config system admin user` (where FortiOS
// finds none), the secret grammar and auditability. The recorded session (`fortios#FMG-VM64_7.4.6`)
// is pulled through the emulator by test/pull/corpus.test.ts from recordings.ts here.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { platformById } from '../../index.js';
import { recogniser } from '../../../test/parsers/harness.js';
import { corpusPath } from '../../../test/support/corpus.js';
import { platformCaseProblems } from '../../../test/tools/corpus-cases.js';
import { audit } from '../audit.js';
import { accounts, redact } from '../config.js';
import { fortinetFortimanager } from '../index.js';
import { recognise } from '../syslog.js';
import { cases, files } from './cases.js';

const RECORDED = readFileSync(corpusPath('ssh-sessions', 'fortios#FMG-VM64_7.4.6#output.txt'), 'utf8');

describe('fortinet-fortimanager', () => {
  it('is found in its folder and yields what its corpus cases say', () => {
    expect(platformById('fortinet-fortimanager')).toBe(fortinetFortimanager);
    expect(platformCaseProblems(fortinetFortimanager, files, cases)).toEqual([]);
  });

  it('finds the administrator FortiOS does not', () => {
    expect(platformById('fortinet-fortios')!.accounts!(RECORDED)).toEqual([]);
    expect(accounts(RECORDED).map(({ lines: _l, ...a }) => a)).toEqual([{ name: 'admin', roles: [], credentials: ['password'] }]);
  });

  it('reads profiles, keys and remote users; not the tacacs section', () => {
    const text = [
      'config system admin tacacs', '    edit "tacacs-server"', '        set key ENC AAAA1111', '    next', 'end',
      'config system admin user',
      '    edit "admin"', '        set profileid "Super_User"', '        set password ENC AAAA2222', '    next',
      '    edit "ro"', '        set profileid "Restricted_User"', '        set ssh-public-key1 "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl ro@host"', '    next',
      '    edit "tac"', '        set profileid "Standard_User"', '        set user_type tacacs-plus', '    next',
      'end',
    ].join('\n');
    expect(accounts(text).map(({ lines: _l, ...a }) => a)).toEqual([
      { name: 'admin', roles: ['Super_User'], credentials: ['password'] },
      { name: 'ro', roles: ['Restricted_User'], credentials: ['key'] },
      { name: 'tac', roles: ['Standard_User'], credentials: ['none'] },
    ]);
    expect(JSON.stringify(accounts(text))).not.toContain('AAAA2222');
  });

  it('redacts every ENC value, keys and communities', () => {
    const out = redact(RECORDED);
    expect(out).not.toContain('AAAAAAAAAABBBBBBBBBBCCCCCCCCCC');
    expect(redact('config system snmp community\n    edit 1\n        set name "public1"\n    next\nend')).not.toContain('public1');
    expect(redact('        set passwd ENC abcdefgh12345678')).toBe('        set passwd ENC <redacted>');
    expect(redact('        set crptpasswd ENC abcdefgh12345678')).toBe('        set crptpasswd ENC <redacted>');
  });

  it('judges auditability', () => {
    const good = ['config system locallog syslogd setting', '    set severity information', '    set status enable', 'end', 'config system syslog', '    edit "siem"', '        set ip "192.0.2.10"', '    next', 'end'].join('\n');
    expect(audit(good, ['192.0.2.10']).every((c) => c.ok)).toBe(true);
    expect(audit(RECORDED, ['192.0.2.10']).map((c) => c.ok)).toEqual([false, false]);
  });

  it('rejects FortiGate lines and never throws on hostile text', () => {
    const run = recogniser(recognise, 'fortinet-fortimanager');
    expect(run('<189>date=2026-11-21 time=22:10:01 devname="FGT" logid="0100032001" type="event" subtype="system" user="admin" ui="https(192.0.2.9)" action="login" status="success"').records).toEqual([]);
    const hostile = readFileSync(corpusPath('hostile-strings.txt'), 'utf8').split('\n').filter(Boolean);
    for (const h of [...hostile, '"'.repeat(50_000), '='.repeat(50_000)]) {
      expect(() => run(`<134>date=2023-02-23 time=22:49:29 tz="+0500" log_id=0001010018 type=event subtype=system user="${h}" userfrom="GUI(${h})" operation="login" session_id=${h}`)).not.toThrow();
      expect(() => run(`<134>date=2023-02-23 time=22:49:29 tz="+0500" log_id="0021030002" subtype="objcfg" type="event" user="${h}" operation="${h}" changes="type=${h},key=${h}"`)).not.toThrow();
    }
  });
});
