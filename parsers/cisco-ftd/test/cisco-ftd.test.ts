// Cisco FTD: its corpus cases (read by cisco-asa, which owns the %FTD- messages: none of these is
// an administrator's record), the LINA configuration's accounts and secrets, auditability and the
// CLISH prompt. The recorded sessions are pulled through the emulator by test/pull/corpus.test.ts
// from recordings.ts here. Configuration lines below are ASA syntax with invented values.

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
