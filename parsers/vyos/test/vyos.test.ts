// VyOS: login users and their credentials, the secret grammar (the SNMP community as a node name),
// auditability and prompts. The recorded session (`vyos#Supermicro_1.4.3`) is pulled through the
// emulator by test/pull/corpus.test.ts from recordings.ts here. The account lines below follow
// VyOS's documented `set system login user` syntax; names and values invented.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { platformById } from '../../index.js';
import { corpusPath } from '../../../test/support/corpus.js';
import { audit } from '../audit.js';
import { accounts, redact, ssh } from '../config.js';
import { vyos } from '../index.js';

const RECORDED = readFileSync(corpusPath('ssh-sessions', 'vyos#Supermicro_1.4.3#output.txt'), 'utf8');
const R = '<redacted>';

describe('vyos', () => {
  it('is found in its folder', () => {
    expect(platformById('vyos')).toBe(vyos);
  });

  it('reads login users: crypt hash, clear password, public keys, the old levels', () => {
    const text = [
      "set system login user vyos authentication encrypted-password '$6$rounds=656000$abc$def'",
      "set system login user vyos authentication plaintext-password ''",
      "set system login user ops authentication public-keys ops@laptop key 'AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl'",
      "set system login user ops authentication public-keys ops@laptop type 'ssh-ed25519'",
      "set system login user ops full-name 'Ops Team'",
      "set system login user old authentication plaintext-password 'Clear-1'",
      "set system login user old level 'operator'",
      "set system login radius server 192.0.2.5 key 'Radius-1'",
    ].join('\n');
    const got = accounts(text);
    expect(got.map(({ lines: _l, ...a }) => a)).toEqual([
      { name: 'vyos', roles: [], credentials: ['secret'] },
      { name: 'ops', roles: [], credentials: ['key'] },
      { name: 'old', roles: ['operator'], credentials: ['password'] },
    ]);
    expect(got[0]!.lines[0]).toBe(`set system login user vyos authentication encrypted-password '${R}'`);
    expect(JSON.stringify(got)).not.toContain('Clear-1');
    expect(accounts(RECORDED)).toEqual([]);
  });

  it('redacts every secret form of the recording and of the documentation, and keeps the rest', () => {
    const out = redact(RECORDED);
    for (const s of ['snmppublic', 'AAAAAAAAAABBBBBBBBBB']) expect(out).not.toContain(s);
    expect(out).toContain(`set service snmp community ${R} authorization 'ro'`);
    expect(out).toContain(`set service snmp trap-target 10.10.10.10 community '${R}'`);
    expect(out).toContain("public-key 'b7wPxXWRxgB5uzfXa75B6EvhAa2K4wp+UayahIoo9iU='");
    const lines: Array<[string, string]> = [
      ["set system login tacacs server 192.0.2.6 key 'Tacacs-1'", `set system login tacacs server 192.0.2.6 key '${R}'`],
      ["set protocols ospf area 0 network 10.0.0.0/8 authentication md5 key-id 1 md5-key 'Ospf-1'", `set protocols ospf area 0 network 10.0.0.0/8 authentication md5 key-id 1 md5-key '${R}'`],
      ["set system syslog host 192.0.2.10 facility all level 'info'", "set system syslog host 192.0.2.10 facility all level 'info'"],
    ];
    for (const [line, want] of lines) expect(redact(line), line).toBe(want);
  });

  it('judges auditability', () => {
    expect(audit("set system syslog host 192.0.2.10 facility all level 'info'", ['192.0.2.10']).every((c) => c.ok)).toBe(true);
    expect(audit(RECORDED, ['192.0.2.10']).map((c) => [c.check, c.ok])).toEqual([['config-logging', false], ['logging-host', false]]);
    expect(audit("set system syslog remote 192.0.2.10 facility user level 'notice'", ['192.0.2.10']).every((c) => c.ok)).toBe(true);
  });

  it('knows its prompts (the corpus #prompt.yaml cases)', () => {
    for (const p of ['user.name@fw1:~$ ', 'username@fw1> ', 'vyos@vyos:~$']) expect(ssh.prompt.test(p), p).toBe(true);
    for (const p of ["set system login user vyos@x level 'admin'", '# some URL with password: http://user:x@domain.tld/']) expect(ssh.prompt.test(p), p).toBe(false);
  });
});
