// NVIDIA Cumulus Linux: NVUE users and roles, /etc/passwd users, the secret grammar of NVUE YAML,
// FRR and snmpd, auditability, prompts. The recorded sessions are pulled through the emulator by
// test/pull/corpus.test.ts from recordings.ts here. The NVUE blocks below follow the recording's
// layout with invented values.

import { describe, expect, it } from 'vitest';
import { platformById } from '../../index.js';
import { corpusPath } from '../../../test/support/corpus.js';
import { loadTranscript } from '../../../test/support/emulator/transcript.js';
import { audit } from '../audit.js';
import { accounts, redact, ssh } from '../config.js';
import { nvidiaCumulus } from '../index.js';

const R = '<redacted>';
const NVUE = [
  '- header:',
  '    model: MSN2010',
  '- set:',
  '    system:',
  '      aaa:',
  '        user:',
  '          ops:',
  "            hashed-password: '$6$rounds=5000$abc$defghijk'",
  '            role: nvue-monitor',
  '          cumulus:',
  "            hashed-password: '*'",
  '            role: system-admin',
  '      syslog:',
  '        server:',
  '          192.0.2.10:',
  '            vrf: mgmt',
  '      snmp-server:',
  '        readonly-community:',
  '          Public-Comm-1:',
  '            access:',
  '              any: {}',
].join('\n');

describe('nvidia-cumulus', () => {
  it('is found in its folder', () => {
    expect(platformById('nvidia-cumulus')).toBe(nvidiaCumulus);
  });

  it('reads NVUE users with their roles, and /etc/passwd users with a login shell', () => {
    expect(accounts(NVUE).map(({ lines: _l, ...a }) => a)).toEqual([
      { name: 'ops', roles: ['nvue-monitor'], credentials: ['secret'] },
      { name: 'cumulus', roles: ['system-admin'], credentials: ['none'] },
    ]);
    const passwd = ['root:x:0:0:root:/root:/bin/bash', 'daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin', 'sync:x:4:65534:sync:/bin:/bin/sync', 'ops:x:1001:1001::/home/ops:/bin/bash'].join('\n');
    expect(accounts(passwd).map(({ lines: _l, ...a }) => a)).toEqual([
      { name: 'root', roles: [], credentials: [], privilege: '15' },
      { name: 'ops', roles: [], credentials: [] },
    ]);
  });

  it('redacts hashes, communities (keys and values), FRR and snmpd secrets; keeps a locked password', () => {
    const out = redact(NVUE);
    expect(out).not.toMatch(/abc\$defghijk|Public-Comm-1/);
    expect(out).toContain("hashed-password: '*'");
    expect(out).toContain(`          ${R}:`);
    expect(redact(' neighbor 192.0.2.2 password Frr-1')).toBe(` neighbor 192.0.2.2 password ${R}`);
    expect(redact('rocommunity Snmp-1 default')).toBe(`rocommunity ${R} default`);
    expect(redact('com2sec readonly default Snmp-2')).toBe(`com2sec readonly default ${R}`);
  });

  it('redacts the recorded NVUE configuration without losing a line', () => {
    const t = loadTranscript(corpusPath('ssh-sessions', 'cumulus#MSN2010_5.9.2_nvue#custom_simulation.yaml'));
    const text = t.exchanges[0]!.response;
    expect(redact(text).split('\n').length).toBe(text.split(/\r*\n/).length);
  });

  it('judges auditability and knows its prompts', () => {
    expect(audit(NVUE, ['192.0.2.10']).map((c) => c.ok)).toEqual([true]);
    expect(audit('- set:\n    system: {}', ['192.0.2.10']).map((c) => c.ok)).toEqual([false]);
    for (const p of ['root@spine1-nyc2:~# ', 'cumulus@cumulus:mgmt:~$ ', 'cumulus@leaf1:~$']) expect(ssh.prompt.test(p), p).toBe(true);
    expect(ssh.prompt.test('            role: system-admin')).toBe(false);
  });

  it('does not throw on hostile YAML', () => {
    for (const text of ['- set: [', '- set:\n  system: &a [*a, *a]', `- set:\n${'  '.repeat(5000)}x: 1`, '- header:\n' + 'a: &x [1]\nb: *x\n'.repeat(2000)]) {
      expect(() => accounts(text)).not.toThrow();
    }
  });
});
