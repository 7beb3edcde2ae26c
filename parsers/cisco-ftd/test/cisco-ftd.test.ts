// Cisco FTD: its corpus cases (read by cisco-asa, which owns the %FTD- messages: none of these is
// an administrator's record), the LINA configuration's accounts and secrets, auditability and the
// CLISH prompt. The recorded sessions are pulled through the emulator by test/pull/corpus.test.ts
// from recordings.ts here. Configuration lines below are ASA syntax with invented values; `show
// user` is the output Cisco's documentation prints (test/corpus/configs/cisco-ftd), and rows written
// here in its layout for the access, authentication and state it does not show.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { platformById } from '../../index.js';
import { corpusPath } from '../../../test/support/corpus.js';
import { platformCaseProblems } from '../../../test/tools/corpus-cases.js';
import { audit } from '../audit.js';
import { accounts, redact, ssh } from '../config.js';
import { ciscoFtd } from '../index.js';
import { cases, files } from './cases.js';

const RECORDED = readFileSync(corpusPath('ssh-sessions', 'firelinuxos#FPR-1010_7.4.2#output.txt'), 'utf8');

describe('cisco-ftd', () => {
  it('is found in its folder; its lines yield nothing from cisco-asa, which reads %FTD- messages', () => {
    expect(platformById('cisco-ftd')).toBe(ciscoFtd);
    expect(platformCaseProblems(platformById('cisco-asa')!, files, cases)).toEqual([]);
  });

  it('reads LINA usernames and redacts their hashes', () => {
    const text = ['username admin password $sha512$5000$abcd$efgh pbkdf2 privilege 15', 'username ops password 8Ry2YjIyt7RRXU24 encrypted', 'username ops attributes', ' service-type admin'].join('\n');
    const got = accounts(text);
    expect(got.map(({ lines: _l, ...a }) => a)).toEqual([
      { name: 'admin', roles: [], credentials: ['password'], privilege: '15' },
      { name: 'ops', roles: [], credentials: ['password'] },
    ]);
    expect(JSON.stringify(got)).not.toMatch(/abcd\$efgh|8Ry2YjIyt7RRXU24/);
    expect(accounts(RECORDED)).toEqual([]);
  });

  it('reads the CLI users of `show user`: access as the role, a password of their own only when Local', () => {
    const documented = readFileSync(corpusPath('configs', 'cisco-ftd', 'cisco-cdfmc-show-user.relevant'), 'utf8');
    expect(accounts(documented).map(({ lines: _l, ...a }) => a)).toEqual([
      { name: 'admin', roles: ['Config'], credentials: ['password'] },
      { name: 'johncrichton', roles: ['Config'], credentials: ['password'] },
    ]);
    const more = [
      documented.split('\n')[0],
      'ops               1002  Local Basic   Disabled   No  Never  N/A  Dis   No   5',
      'radius-admin      1003 Remote Config  Enabled    No  Never  N/A  Dis   No N/A',
      '> ',
      // After the table: a row-shaped line of something else is no user.
      'intruder          1004  Local Config  Enabled    No  Never  N/A  Dis   No N/A',
    ].join('\n');
    expect(accounts(more).map(({ lines: _l, ...a }) => a)).toEqual([
      { name: 'ops', roles: ['Basic'], credentials: ['password'] },
      { name: 'radius-admin', roles: ['Config'], credentials: [] },
    ]);
  });

  it('redacts secrets and keeps the masked enable password as it is', () => {
    expect(redact(RECORDED)).toContain('enable password ***** encrypted');
    expect(redact('snmp-server host inside 192.0.2.5 community Public-1 version 2c')).toBe('snmp-server host inside 192.0.2.5 community <redacted> version 2c');
    expect(redact('failover key hex 0123abcd')).toBe('failover key hex <redacted>');
  });

  it('judges auditability', () => {
    expect(audit('logging enable\nlogging trap informational\nlogging host inside 192.0.2.10', ['192.0.2.10']).every((c) => c.ok)).toBe(true);
    expect(audit(RECORDED, ['192.0.2.10']).map((c) => c.ok)).toEqual([false, false]);
  });

  it('knows the CLISH prompt, and nothing else is one', () => {
    expect(ssh.prompt.test('> ')).toBe(true);
    for (const p of ['>> ', 'FPR-12345#', ' > ', '>show']) expect(ssh.prompt.test(p), p).toBe(false);
  });
});
