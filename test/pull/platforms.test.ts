// The platform modules' pull side: prompts (the corpus's #prompt.yaml cases), accounts read from
// each syntax (every line of one user merged; blocks and look-alikes that are not accounts
// ignored), redaction of every secret form, and what counts as a change.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { platformById, platforms } from '../../parsers/index.js';
import { publicKeyFingerprint } from '../../parsers/lib/config-text.js';
import { significantText } from '../../src/pull/digest.js';
import { renderLine } from '../../src/pull/terminal.js';
import type { LocalAccount, Platform } from '../../src/types.js';
import { corpusPath } from '../support/corpus.js';
import { loadTranscript } from '../support/emulator/transcript.js';

function platform(id: string): Required<Pick<Platform, 'ssh' | 'accounts' | 'redact'>> {
  const p = platformById(id);
  if (!p?.ssh || !p.accounts || !p.redact) throw new Error(`${id} cannot be pulled`);
  return p as Required<Pick<Platform, 'ssh' | 'accounts' | 'redact'>>;
}

const brief = (accounts: LocalAccount[]): Array<Omit<LocalAccount, 'lines'>> =>
  accounts.map(({ lines: _lines, ...rest }) => rest);

/** A made-up ed25519 public key blob (valid wire format). */
const KEY = Buffer.concat([Buffer.from([0, 0, 0, 11]), Buffer.from('ssh-ed25519'), Buffer.from([0, 0, 0, 32]), Buffer.alloc(32, 7)]).toString('base64');

describe('prompts (#prompt.yaml)', () => {
  const cases: Array<[file: string, platform: string]> = [
    ['ios#generic#prompt.yaml', 'cisco-ios'],
    ['asa#generic#prompt.yaml', 'cisco-asa'],
    ['fortigate#generic#prompt.yaml', 'fortinet-fortios'],
    ['fortios#generic#prompt.yaml', 'fortinet-fortios'],
  ];
  for (const [file, id] of cases) {
    it(`${file}: the ${id} prompt takes every pass case and no fail case`, () => {
      const { pass = [], fail = [] } = parse(readFileSync(corpusPath('ssh-sessions', file), 'utf8')) as { pass?: string[]; fail?: Array<string | null> };
      expect(pass.length).toBeGreaterThan(0);
      for (const p of pass) expect(platform(id).ssh.prompt.test(renderLine(p)), JSON.stringify(p)).toBe(true);
      for (const f of fail) if (f) expect(platform(id).ssh.prompt.test(renderLine(f)), JSON.stringify(f)).toBe(false);
    });
  }

  it('the prompts of the other platforms', () => {
    const ok: Array<[string, string]> = [
      ['cisco-nxos', 'TEST-12345# '],
      ['arista-eos', 'eos-test-01#'],
      ['arista-eos', 'eos-test-01>'],
      ['cisco-iosxr', 'RP/0/RSP0/CPU0:pe1#'],
      ['paloalto-panos', 'admin@PA-3220>'],
      ['paloalto-panos', 'admin@PA-3220(active)> '],
      ['juniper-junos', 'oxidized@srx300> '],
      ['mikrotik-routeros', '[admin@MikroTik] > '],
    ];
    for (const [id, p] of ok) expect(platform(id).ssh.prompt.test(p), `${id} ${p}`).toBe(true);
    // Configuration text that merely looks like a prompt.
    for (const id of ['cisco-ios', 'cisco-nxos', 'arista-eos']) {
      for (const text of [' description uplink to core#', 'snmp-server contact noc@example.com', 'hostname core-sw1']) {
        expect(platform(id).ssh.prompt.test(text), `${id} ${text}`).toBe(false);
      }
    }
  });
});

describe('accounts', () => {
  it('IOS: username lines merged; privilege, view, secret/password/nopassword; pubkey-chain keys', () => {
    const text = [
      'enable secret 9 $9$abcdefghijklmn$ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefg',
      'username admin privilege 15 secret 9 $9$abcdefghijklmn$ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefg',
      'username ops view ops-view password 7 0822455D0A16',
      'username nopw nopassword',
      'username admin autocommand show version',
      'username secret password 0 Hunter2Hunter2',
      'ip ssh pubkey-chain',
      ' username keyuser',
      '  key-hash ssh-rsa 5A3E6A2B9C1D0E7F8A9B0C1D2E3F4A5B keyuser@host',
      ' quit',
      'line vty 0 4',
      ' password 7 0822455D0A16',
    ].join('\n');
    const accounts = platform('cisco-ios').accounts(text);
    expect(brief(accounts)).toEqual([
      { name: 'admin', privilege: '15', roles: [], credentials: ['secret'] },
      { name: 'ops', roles: ['ops-view'], credentials: ['password'] },
      { name: 'nopw', roles: [], credentials: ['none'] },
      { name: 'secret', roles: [], credentials: ['password'] },
      { name: 'keyuser', roles: [], credentials: ['key'] },
    ]);
    expect(accounts[0]!.lines).toEqual(['username admin privilege 15 secret 9 <redacted>', 'username admin autocommand show version']);
    expect(JSON.stringify(accounts)).not.toMatch(/Hunter2|0822455D0A16|\$9\$/);
  });

  it('NX-OS: extra role lines merged; `password 5 !` is no password; sshkey', () => {
    const text = [
      'username admin password 5 $5$KLMNOP$abcdefghijklmnopqrstuvwxyz0123456789ABCDE  role network-admin',
      'username network password 5 $1$abcd$efghijklmnopqrstuv  role network-operator',
      'username network role network-admin',
      'username svc password 5 !  role priv-15',
      `username svc sshkey ssh-ed25519 ${KEY}`,
      'username admin passphrase  lifetime 99999 warntime 14 gracetime 3',
    ].join('\n');
    const accounts = platform('cisco-nxos').accounts(text);
    expect(brief(accounts)).toEqual([
      { name: 'admin', roles: ['network-admin'], credentials: ['password'] },
      { name: 'network', roles: ['network-operator', 'network-admin'], credentials: ['password'] },
      { name: 'svc', roles: ['priv-15'], credentials: ['key'] },
    ]);
    expect(accounts[2]!.lines[1]).toBe(`username svc sshkey ssh-ed25519 <key ${publicKeyFingerprint(KEY)}>`);
    expect(accounts[0]!.lines[1]).toBe('username admin passphrase  lifetime 99999 warntime 14 gracetime 3');
  });

  it('EOS: ssh-key lines merged; role, privilege, sha512 secret, nopassword', () => {
    const text = [
      'username admin privilege 15 role network-admin secret sha512 $6$saltsalt$abcdefghijklmnopqrstuvwxyz',
      `username admin ssh-key ssh-ed25519 ${KEY} admin@laptop`,
      'username noc secret 5 $1$abcd$efghijklmnopqrstuv',
      'username guest nopassword',
    ].join('\n');
    const accounts = platform('arista-eos').accounts(text);
    expect(brief(accounts)).toEqual([
      { name: 'admin', privilege: '15', roles: ['network-admin'], credentials: ['secret', 'key'] },
      { name: 'noc', roles: [], credentials: ['secret'] },
      { name: 'guest', roles: [], credentials: ['none'] },
    ]);
    expect(accounts[0]!.lines[1]).toContain('<key SHA256:');
    expect(accounts[0]!.lines.join('\n')).not.toContain(KEY);
  });

  it('ASA: `username X attributes` blocks are not accounts; they add to one that exists', () => {
    const text = [
      'username admin password $sha512$5000$abcdefghijklmnop$ABCDEFGHIJKLMNOPQRSTUV== pbkdf2 privilege 15',
      'username vpnonly nopassword',
      'username admin attributes',
      ' service-type admin',
      ` ssh authentication publickey ${KEY}`,
      'username ghost attributes',
      ' service-type remote-access',
      'aaa-server TACACS protocol tacacs+',
    ].join('\n');
    const accounts = platform('cisco-asa').accounts(text);
    expect(brief(accounts)).toEqual([
      { name: 'admin', privilege: '15', roles: ['admin'], credentials: ['password', 'key'] },
      { name: 'vpnonly', roles: [], credentials: ['none'] },
    ]);
    expect(accounts[0]!.lines).toEqual([
      'username admin password <redacted> pbkdf2 privilege 15',
      'username admin attributes',
      ' service-type admin',
      ` ssh authentication publickey <key ${publicKeyFingerprint(KEY)}>`,
    ]);
  });

  it('IOS-XR: username blocks with groups and secret', () => {
    const text = [
      'username admin',
      ' group root-lr',
      ' group cisco-support',
      ' secret 10 $6$abcdefgh$ABCDEFGHIJKLMNOPQRSTUVWXYZ',
      '!',
      'username ro',
      ' group read-only-tg',
      ' password 7 0822455D0A16',
      '!',
      'usergroup ops',
      ' taskgroup read-only-tg',
      '!',
    ].join('\n');
    const accounts = platform('cisco-iosxr').accounts(text);
    expect(brief(accounts)).toEqual([
      { name: 'admin', roles: ['root-lr', 'cisco-support'], credentials: ['secret'] },
      { name: 'ro', roles: ['read-only-tg'], credentials: ['password'] },
    ]);
    expect(accounts[0]!.lines).toContain(' secret 10 <redacted>');
  });

  it('Junos: root-authentication is root; login users with class and keys; syslog `user *` is not an account; set form too', () => {
    const braces = [
      'system {',
      '    root-authentication {',
      '        encrypted-password "$6$abc$defghijklmnop"; ## SECRET-DATA',
      '    }',
      '    login {',
      '        class noc {',
      '            permissions view;',
      '        }',
      '        user alice {',
      '            uid 2001;',
      '            class super-user;',
      '            authentication {',
      '                encrypted-password "$6$xyz$0123456789abc"; ## SECRET-DATA',
      `                ssh-ed25519 "ssh-ed25519 ${KEY} alice@laptop"; ## SECRET-DATA`,
      '            }',
      '        }',
      '        user remote {',
      '            class noc;',
      '        }',
      '    }',
      '    syslog {',
      '        user * {',
      '            any emergency;',
      '        }',
      '    }',
      '}',
    ].join('\n');
    const accounts = platform('juniper-junos').accounts(braces);
    expect(brief(accounts)).toEqual([
      { name: 'root', roles: [], credentials: ['password'] },
      { name: 'alice', roles: ['super-user'], credentials: ['password', 'key'] },
      { name: 'remote', roles: ['noc'], credentials: ['none'] },
    ]);
    expect(JSON.stringify(accounts)).not.toMatch(/\$6\$|0123456789abc/);

    const set = [
      'set system root-authentication encrypted-password "$6$abc$defghijklmnop"',
      'set system login user bob uid 2002',
      'set system login user bob class operator',
      'set system login user bob authentication encrypted-password "$6$q$rstuvwxyz"',
      'set system syslog user * any emergency',
    ].join('\n');
    expect(brief(platform('juniper-junos').accounts(set))).toEqual([
      { name: 'root', roles: [], credentials: ['password'] },
      { name: 'bob', roles: ['operator'], credentials: ['password'] },
    ]);
  });

  it('Junos: a class the device defines with `permissions all` is super-user under its own name, defined before or after its users', () => {
    // Class blocks as Junos prints them (the corpus srx300 layout; `permissions all` and `permissions [ … ]` as
    // Juniper's login-class documentation and terraform-provider-junos' system_login_class write them).
    const braces = [
      'system {',
      '    login {',
      '        user bob {',
      '            class ops;',
      '        }',
      '        user carol {',
      '            class noc;',
      '        }',
      '        class noc {',
      '            permissions [ configure view ];',
      '        }',
      '        class ops {',
      '            idle-timeout 30;',
      '            permissions all;',
      '        }',
      '    }',
      '}',
    ].join('\n');
    expect(brief(platform('juniper-junos').accounts(braces))).toEqual([
      { name: 'bob', roles: ['ops (permissions all)'], credentials: ['none'] },
      { name: 'carol', roles: ['noc'], credentials: ['none'] },
    ]);
    const set = [
      'set system login class engineering idle-timeout 30',
      'set system login class engineering permissions all',
      'set system login class view-only permissions view',
      'set system login user dave class engineering',
      'set system login user erin class view-only',
    ].join('\n');
    expect(brief(platform('juniper-junos').accounts(set))).toEqual([
      { name: 'dave', roles: ['engineering (permissions all)'], credentials: ['none'] },
      { name: 'erin', roles: ['view-only'], credentials: ['none'] },
    ]);
  });

  it('Junos: a class with `admin-control` (it makes accounts of any class) ranks as super-user; `all` is the stronger grant', () => {
    // The flag as Juniper's "Permission Bits for Login Classes" table names it ("admin-control: can view user
    // accounts and configure them (at the [edit system login] hierarchy level)"), in a permissions list as
    // terraform-provider-junos' system_login_class writes them.
    const braces = [
      'system {',
      '    login {',
      '        class helpdesk {',
      '            permissions [ admin admin-control configure view ];',
      '        }',
      '        class both {',
      '            permissions [ admin-control all ];',
      '        }',
      '        class viewers {',
      '            permissions [ admin view ];',
      '        }',
      '        user hd {',
      '            class helpdesk;',
      '        }',
      '        user bo {',
      '            class both;',
      '        }',
      '        user vi {',
      '            class viewers;',
      '        }',
      '    }',
      '}',
    ].join('\n');
    expect(brief(platform('juniper-junos').accounts(braces))).toEqual([
      { name: 'hd', roles: ['helpdesk (permissions admin-control)'], credentials: ['none'] },
      { name: 'bo', roles: ['both (permissions all)'], credentials: ['none'] },
      { name: 'vi', roles: ['viewers'], credentials: ['none'] },
    ]);
    const set = ['set system login user dave class hd2', 'set system login class hd2 permissions admin-control', 'set system login class hd2 permissions view'].join('\n');
    expect(brief(platform('juniper-junos').accounts(set))).toEqual([{ name: 'dave', roles: ['hd2 (permissions admin-control)'], credentials: ['none'] }]);
  });

  it('Junos: an inactive user is not on the device; an inactive statement in a user gives it nothing (braces `inactive:`, set form `deactivate`)', () => {
    // Not corpus lines: the forms of Juniper's "deactivate" documentation (`show configuration`
    // prints `inactive: ` before a deactivated statement, `display set` a `deactivate` line after it).
    const braces = [
      'system {',
      '    login {',
      '        class ops {',
      '            permissions all;',
      '        }',
      '        inactive: user old {',
      '            uid 2001;',
      '            class super-user;',
      '            authentication {',
      '                encrypted-password "$6$abc$def"; ## SECRET-DATA',
      '            }',
      '        }',
      '        user alice {',
      '            class super-user;',
      '            inactive: authentication {',
      '                encrypted-password "$6$x$y"; ## SECRET-DATA',
      '            }',
      '        }',
      '        inactive: class ghost {',
      '            permissions all;',
      '        }',
      '        user bob {',
      '            class ops;',
      '            inactive: class ghost;',
      '        }',
      '    }',
      '}',
    ].join('\n');
    const read = platform('juniper-junos').accounts(braces);
    expect(brief(read)).toEqual([
      { name: 'alice', roles: ['super-user'], credentials: ['none'] },
      { name: 'bob', roles: ['ops (permissions all)'], credentials: ['none'] },
    ]);
    // The inactive lines stay with the account they are written in, as evidence, redacted.
    expect(read[0]!.lines.join('\n')).toContain('inactive: authentication {');
    expect(JSON.stringify(read)).not.toContain('$6$');
    const set = [
      'set system login user old class super-user',
      'set system login user old authentication encrypted-password "$6$abc$def"',
      'set system login user carol class super-user',
      'set system login user carol authentication encrypted-password "$6$q$w"',
      'set system login user dave class operator',
      'deactivate system login user old',
      'deactivate system login user carol authentication',
    ].join('\n');
    expect(brief(platform('juniper-junos').accounts(set))).toEqual([
      { name: 'carol', roles: ['super-user'], credentials: ['none'] },
      { name: 'dave', roles: ['operator'], credentials: ['none'] },
    ]);
    // A whole `system login` deactivated: no login user applies.
    expect(platform('juniper-junos').accounts(`${set}\ndeactivate system login`)).toEqual([]);
  });

  it('FortiOS: a profile of the device\'s own is ranked from its permissions (administrators written: prof_admin; nothing written: read only)', () => {
    // `config system accprofile` as FortiOS's CLI reference ("config system accprofile", 6.2.6 and 7.4.6) gives
    // it: a permission per group, a `custom` group's parts in `config sysgrp-permission` (`set admin …`).
    const text = [
      'config system accprofile',
      '    edit "prof_admin"',
      '        set secfabgrp read-write',
      '        set sysgrp read-write',
      '    next',
      '    edit "helpdesk"',
      '        set sysgrp read-write',
      '        set fwgrp read',
      '    next',
      '    edit "admins-only"',
      '        set sysgrp custom',
      '        config sysgrp-permission',
      '            set admin read-write',
      '            set cfg read',
      '        end',
      '    next',
      '    edit "fw-editor"',
      '        set sysgrp custom',
      '        set fwgrp read-write',
      '        config sysgrp-permission',
      '            set admin read',
      '        end',
      '    next',
      '    edit "auditor"',
      '        set secfabgrp read',
      '        set sysgrp read',
      '        set loggrp read',
      '    next',
      'end',
      'config system admin',
      '    edit "hd"',
      '        set accprofile "helpdesk"',
      '    next',
      '    edit "ao"',
      '        set accprofile "admins-only"',
      '    next',
      '    edit "fw"',
      '        set accprofile "fw-editor"',
      '    next',
      '    edit "au"',
      '        set accprofile "auditor"',
      '    next',
      '    edit "pa"',
      '        set accprofile "prof_admin"',
      '    next',
      'end',
    ].join('\n');
    expect(brief(platform('fortinet-fortios').accounts(text))).toEqual([
      { name: 'hd', roles: ['helpdesk (admin read-write)'], credentials: ['none'] },
      { name: 'ao', roles: ['admins-only (admin read-write)'], credentials: ['none'] },
      { name: 'fw', roles: ['fw-editor'], credentials: ['none'] },
      { name: 'au', roles: ['auditor (read only)'], credentials: ['none'] },
      { name: 'pa', roles: ['prof_admin'], credentials: ['none'] },
    ]);
  });

  it('FortiOS: each edit of `config system admin` (inside `config global` too); not `config user local`', () => {
    const text = [
      'config global',
      'config system admin',
      '    edit "admin"',
      '        set accprofile "super_admin"',
      '        set vdom "root"',
      '        set password ENC SH2abcdefghijklmnopqrstuvwxyz0123456789',
      '    next',
      '    edit "tacacs-admins"',
      '        set remote-auth enable',
      '        set accprofile "prof_admin"',
      '        set wildcard enable',
      '    next',
      '    edit "keyonly"',
      '        set accprofile "super_admin_readonly"',
      `        set ssh-public-key1 "ssh-ed25519 ${KEY} ops@host"`,
      '    next',
      'end',
      'end',
      'config user local',
      '    edit "vpnuser"',
      '        set type password',
      '        set passwd ENC abcdefghijklmnopqrstuvwxyz012345',
      '    next',
      'end',
    ].join('\n');
    const accounts = platform('fortinet-fortios').accounts(text);
    expect(brief(accounts)).toEqual([
      { name: 'admin', roles: ['super_admin'], credentials: ['password'] },
      { name: 'tacacs-admins', roles: ['prof_admin'], credentials: ['none'] },
      { name: 'keyonly', roles: ['super_admin_readonly'], credentials: ['key'] },
    ]);
    expect(accounts[0]!.lines).toContain('        set password ENC <redacted>');
  });

  it('PAN-OS: mgt-config users (XML and set form) with roles; not the local user database', () => {
    const xml = [
      '<response status="success"><result><config version="10.2.0" urldb="paloaltonetworks">',
      '  <mgt-config>',
      '    <users>',
      '      <entry name="admin">',
      '        <phash>$5$abcdefgh$ABCDEFGHIJKLMNOPQRSTUVWXYZ</phash>',
      '        <permissions>',
      '          <role-based>',
      '            <superuser>yes</superuser>',
      '          </role-based>',
      '        </permissions>',
      '      </entry>',
      '      <entry name="auditor">',
      '        <permissions>',
      '          <role-based>',
      '            <custom>',
      '              <profile>audit-ro</profile>',
      '            </custom>',
      '          </role-based>',
      '        </permissions>',
      `        <public-key>${Buffer.from(`ssh-ed25519 ${KEY}`).toString('base64')}</public-key>`,
      '      </entry>',
      '    </users>',
      '  </mgt-config>',
      '  <shared>',
      '    <local-user-database>',
      '      <user>',
      '        <entry name="vpnuser"><phash>$1$aaaa$bbbbbbbb</phash></entry>',
      '      </user>',
      '    </local-user-database>',
      '  </shared>',
      '</config></result></response>',
    ].join('\n');
    const accounts = platform('paloalto-panos').accounts(xml);
    expect(brief(accounts)).toEqual([
      { name: 'admin', roles: ['superuser'], credentials: ['password'] },
      { name: 'auditor', roles: ['audit-ro'], credentials: ['key'] },
    ]);
    expect(accounts[0]!.lines.join('\n')).toContain('<phash><redacted></phash>');

    const set = ['set mgt-config users admin phash $1$abcd$efghijklmnop', 'set mgt-config users admin permissions role-based superuser yes'].join('\n');
    expect(brief(platform('paloalto-panos').accounts(set))).toEqual([{ name: 'admin', roles: ['superuser'], credentials: ['password'] }]);
  });

  it('RouterOS: /user print detail items (flags, comments, wrapped properties) and /user add lines; /user group is not an account', () => {
    const text = [
      '/user group',
      'add name=noc policy=read,test',
      '/user',
      'add group=full name=exported',
      'Flags: X - disabled',
      ' 0   ;;; system default user',
      '     name="admin" group=full address="" last-logged-in=2025-05-30 11:07:28',
      '',
      ' 1 X name="old" group=read address=10.0.0.0/8',
    ].join('\n');
    expect(brief(platform('mikrotik-routeros').accounts(text))).toEqual([
      { name: 'exported', roles: ['full'], credentials: [] },
      { name: 'admin', roles: ['full'], credentials: [] },
      { name: 'old', roles: ['read'], credentials: [] },
    ]);
  });

  it('RouterOS: a group of the device\'s own with write and policy administers as full does; either alone, or !policy, does not', () => {
    // `/user group` as `/export` prints it (the system groups' policy lists are the manual's `/user group print`).
    const text = [
      '/user group',
      'add name=ops policy="local,telnet,ssh,reboot,read,write,policy,test,winbox,password,web,sniff,sensitive,api,romon,rest-api,!ftp"',
      'add name=cfg policy=local,ssh,read,write,test,winbox,!policy',
      'add name=users policy=ssh,read,policy',
      'add name="night ops" policy=ssh,read,write,policy',
      '/user',
      'add group="night ops" name=erin',
      'add group=ops name=bob',
      'add group=cfg name=carol',
      'add group=users name=dave',
      'add group=full name=admin2',
    ].join('\n');
    expect(brief(platform('mikrotik-routeros').accounts(text))).toEqual([
      { name: 'erin', roles: ['night ops (write,policy)'], credentials: [] },
      { name: 'bob', roles: ['ops (write,policy)'], credentials: [] },
      { name: 'carol', roles: ['cfg'], credentials: [] },
      { name: 'dave', roles: ['users'], credentials: [] },
      { name: 'admin2', roles: ['full'], credentials: [] },
    ]);
  });

  it('a configuration without accounts has none, on every platform', () => {
    for (const p of platforms) if (p.accounts) expect(p.accounts(''), p.id).toEqual([]);
  });
});

describe('redaction', () => {
  // Each platform's secret forms; every value must go, its keyword and the line's shape must stay.
  const cases: Array<[platform: string, line: string, secret: string]> = [
    ['cisco-ios', 'enable password 7 0822455D0A16', '0822455D0A16'],
    ['cisco-ios', 'enable secret 5 $1$mERr$hx5rVt7rPNoS4wqbXKX7m0', '$1$mERr$hx5rVt7rPNoS4wqbXKX7m0'],
    ['cisco-ios', 'username demo privilege 15 nohangup password 0 demo-pass-1', 'demo-pass-1'],
    ['cisco-ios', 'username sha privilege 15 algorithm-type scrypt secret 9 $9$nhEmQVczB7dqsO$X.HsgL6x1il0RxkOSSvyQYwucySCt7qFm4v7pqCxkKM', 'nhEmQVczB7dqsO'],
    ['cisco-ios', 'snmp-server community Sup3rS3cret RO 10', 'Sup3rS3cret'],
    ['cisco-ios', 'snmp-server host 10.1.1.1 traps version 2c TrapComm1 udp-port 162', 'TrapComm1'],
    ['cisco-ios', 'snmp-server user v3user v3group v3 auth sha AuthPass1 priv aes 128 PrivPass1', 'AuthPass1'],
    ['cisco-ios', 'snmp-server user v3user v3group v3 auth sha AuthPass1 priv aes 128 PrivPass1', 'PrivPass1'],
    ['cisco-ios', 'tacacs-server host 10.1.1.2 key 7 045802150C2E', '045802150C2E'],
    ['cisco-ios', 'radius-server key RadKey99', 'RadKey99'],
    ['cisco-ios', 'ntp authentication-key 1 md5 NtpKey7 7', 'NtpKey7'],
    ['cisco-ios', ' ip ospf message-digest-key 1 md5 7 OspfKey1', 'OspfKey1'],
    ['cisco-ios', ' neighbor 192.0.2.1 password 7 BgpPass1', 'BgpPass1'],
    ['cisco-ios', 'crypto isakmp key IsakmpK3y address 0.0.0.0', 'IsakmpK3y'],
    ['cisco-ios', ' pre-shared-key address 0.0.0.0 0.0.0.0 key Ikev2K3y', 'Ikev2K3y'],
    ['cisco-ios', ' key-string 7 KeyChainK3y', 'KeyChainK3y'],
    ['cisco-ios', 'archive path scp://backup:ArchPass1@192.0.2.9/cfg', 'ArchPass1'],
    ['cisco-ios', 'radius server ISE1\n address ipv4 192.0.2.5 auth-port 1812 acct-port 1813\n pac key 7 PacKey99', 'PacKey99'],
    ['cisco-ios', 'tacacs server TAC1\n address ipv4 192.0.2.6\n key 7 TacBlockKey1', 'TacBlockKey1'],
    ['cisco-nxos', 'tacacs-server host 10.1.1.1 key 7 "NxTacKey1"', 'NxTacKey1'],
    ['cisco-nxos', 'snmp-server community NxComm1 group network-operator', 'NxComm1'],
    ['arista-eos', 'enable password sha512 $6$abcd$efghijklmnop', '$6$abcd$efghijklmnop'],
    ['cisco-asa', 'snmp-server host inside 10.1.1.1 community AsaComm1 version 2c', 'AsaComm1'],
    ['cisco-asa', 'failover key AsaFailK3y', 'AsaFailK3y'],
    ['cisco-asa', ' ikev1 pre-shared-key AsaPsk1', 'AsaPsk1'],
    ['cisco-iosxr', ' key-string password 0822455D0A16', '0822455D0A16'],
    ['juniper-junos', 'set snmp community JnprComm1 authorization read-only', 'JnprComm1'],
    ['juniper-junos', 'set security ike policy p1 pre-shared-key ascii-text "$9$JnprPsk"', 'JnprPsk'],
    ['juniper-junos', 'set system tacplus-server 10.1.1.1 secret "$9$JnprTac"', 'JnprTac'],
    ['fortinet-fortios', '        set psksecret ENC QUJDREVGR0hJSktMTU5PUA==', 'QUJDREVGR0hJSktMTU5PUA=='],
    ['fortinet-fortios', '        set secret "PlainRadius1"', 'PlainRadius1'],
    ['fortinet-fortios', '        set pre-shared-key "FortiPsk1"', 'FortiPsk1'],
    ['paloalto-panos', '<key>-AQ==PanPskAAAAAAAAAAAAAAAAA=</key>', 'PanPskAAAAAAAAAAAAAAAAA'],
    ['paloalto-panos', 'set deviceconfig system snmp-setting access-setting version v2c snmp-community-string PanComm1', 'PanComm1'],
    ['mikrotik-routeros', 'add name=wg1 private-key="WgPrivKey1="', 'WgPrivKey1'],
    ['mikrotik-routeros', 'set [ find default=yes ] wpa2-pre-shared-key=WifiPsk1', 'WifiPsk1'],
  ];
  for (const [id, line, secret] of cases) {
    it(`${id}: ${line.trim().slice(0, 60)}`, () => {
      const out = platform(id).redact(line);
      expect(out).not.toContain(secret);
      expect(out).toContain('<redacted>');
    });
  }

  it('leaves what is not a secret alone', () => {
    const ios = [
      'service password-encryption',
      'security passwords min-length 8',
      ' description key server uplink (password is in the vault)',
      'banner motd ^C',
      'Authorised use only. Your password is personal.',
      '^C',
      'ntp server 192.0.2.1 key 1',
      'snmp-server host 10.42.0.36 vrf Mgmt-vrf informs version 3 auth oxidized  bfd',
      'key chain OSPF',
      ' key 1',
    ].join('\n');
    expect(platform('cisco-ios').redact(ios)).toBe(ios);
    expect(platform('cisco-asa').redact('password encryption aes')).toBe('password encryption aes');
    expect(platform('juniper-junos').redact('    community BGP-PEERS members 65000:100;')).toBe('    community BGP-PEERS members 65000:100;');
  });

  it('FortiOS: private keys go whole; the `name` of an SNMP community entry is the community', () => {
    const text = [
      'config vpn certificate local',
      '    edit "c"',
      '        set private-key "-----BEGIN ENCRYPTED PRIVATE KEY-----',
      'MIIFHzBJBgkqhkiG9w0BBQ0wPDAbBgkqhkiG9w0BBQwwDgQI',
      '-----END ENCRYPTED PRIVATE KEY-----"',
      '    next',
      'end',
      'config system snmp community',
      '    edit 1',
      '        set name "FortiComm1"',
      '    next',
      'end',
      'config system interface',
      '    edit "port1"',
      '        set name "not-a-secret"',
      '    next',
      'end',
    ].join('\n');
    const out = platform('fortinet-fortios').redact(text);
    expect(out).not.toMatch(/MIIFHz|FortiComm1/);
    expect(out).toContain('set private-key "<redacted>"');
    expect(out).toContain('set name "not-a-secret"');
  });

  it('RouterOS: continued lines are read joined, so a value on the next line still goes, and kept as the export wraps them', () => {
    const out = platform('mikrotik-routeros').redact('/ppp secret\nadd name=u1 password=\\\n    SplitPass1 service=pppoe');
    expect(out).toBe('/ppp secret\nadd name=u1 password=\\\n    <redacted> service=pppoe');
    const wrapped = '/interface wireless security-profiles\nadd name=p1 mode=dynamic-keys \\\n    wpa2-pre-shared-key=Wrapped-Psk1 \\\n    comment=lobby';
    expect(platform('mikrotik-routeros').redact(wrapped)).toBe(wrapped.replace('Wrapped-Psk1', '<redacted>'));
  });

  it('is idempotent', () => {
    for (const file of ['ios#C9200L-24P-4G_17.09.04a', 'asa#5512_9.12-4-67_single-context', 'junos#srx300_22.4', 'fortigate#FortiGate-91G_7.4.7']) {
      const t = loadTranscript(corpusPath('ssh-sessions', `${file}#simulation.yaml`));
      const raw = t.exchanges.reduce((a, e) => (e.response.length > a.length ? e.response : a), '');
      const id = { ios: 'cisco-ios', asa: 'cisco-asa', junos: 'juniper-junos', fortigate: 'fortinet-fortios' }[t.model]!;
      const once = platform(id).redact(raw);
      expect(platform(id).redact(once)).toBe(once);
    }
  });
});

describe('what counts as a change', () => {
  it('volatile lines are ignored (IOS last change, NX-OS !Time, FortiOS conf_file_ver, RouterOS export date and last login)', () => {
    const ios = platform('cisco-ios').ssh.volatile;
    const a = 'Building configuration...\n\nCurrent configuration : 20546 bytes\n!\n! Last configuration change at 09:37:40 CEST Tue Aug 20 2024 by oxidized\nhostname a\nend\n';
    const b = 'Building configuration...\n\nCurrent configuration : 20551 bytes\n!\n! Last configuration change at 10:00:00 CEST Wed Aug 21 2024 by bob\nhostname a\nend\n';
    expect(significantText(a, ios)).toBe(significantText(b, ios));
    expect(significantText(a, ios)).not.toBe(significantText(a.replace('hostname a', 'hostname b'), ios));
    expect(significantText('!Time: Mon Dec  1 14:37:04 2025\nhostname x', platform('cisco-nxos').ssh.volatile)).toBe('hostname x');
    expect(significantText('#conf_file_ver=440000000000001\nconfig system global\nend', platform('fortinet-fortios').ssh.volatile)).toBe('config system global\nend');
    const ros = platform('mikrotik-routeros').ssh.volatile;
    expect(significantText('# 2025-05-30 11:07:28 by RouterOS 7.16\n/ip address\n     name="admin" group=full last-logged-in=2025-05-30 11:07:28', ros)).toBe('/ip address\n     name="admin" group=full');
    // The RB5009's export (Oxidized's recording) with and without its PoE port's passing status.
    const rb5009 = loadTranscript(corpusPath('ssh-sessions', 'routeros#RB5009UPr+S+_7.18.2#simulation.yaml')).exchanges.find((e) => e.command === '/export show-sensitive')!.response;
    expect(rb5009).toContain('# poe-out status: voltage_on_poe-in\n');
    expect(significantText(rb5009, ros)).toBe(significantText(rb5009.replace('# poe-out status: voltage_on_poe-in\n', ''), ros));
  });

  /** A recording's answer to the configuration command, what of it counts as the configuration, and its #significant_changes.yaml. */
  function significantCases(platformId: string, id: string, command: string) {
    const p = platform(platformId);
    const raw = loadTranscript(corpusPath('ssh-sessions', `${id}#simulation.yaml`)).exchanges.find((e) => e.command === command)!.response.replace(/\r/g, '');
    const cases = parse(readFileSync(corpusPath('ssh-sessions', `${id}#significant_changes.yaml`), 'utf8')) as { pass: string[]; fail: string[] };
    return { p, raw, significant: significantText(p.redact(raw), p.ssh.volatile), cases };
  }

  it('FortiOS: the #significant_changes.yaml cases (ENC churn and FortiGuard service names are not changes)', () => {
    const { p: fortios, raw, significant, cases } = significantCases('fortinet-fortios', 'fortigate#FortiGate-91G_7.4.7', 'show | grep .');
    for (const kept of cases.pass) expect(significant).toContain(kept);
    for (const gone of cases.fail) expect(significant).not.toContain(gone);
    // A re-encrypted secret is the same configuration.
    const again = raw.replace(/ENC AAAAAAAAAABBBBBBBBBBCCCCCCCCCC/g, 'ENC ZZZZZZZZZZYYYYYYYYYYXXXXXXXXXX');
    expect(significantText(fortios.redact(again), fortios.ssh.volatile)).toBe(significant);
  });

  it('IOS: the 9800 recording\'s #significant_changes.yaml cases on the running configuration', () => {
    const { raw, significant, cases } = significantCases('cisco-ios', 'ios#C9800-L-F-K9_17.06.05', 'show running-config');
    // Its `pass` line is the peer's comment from `show version`, which aaawatch does not send.
    for (const gone of cases.fail) {
      expect(raw).toContain(gone);
      expect(significant).not.toContain(gone);
    }
    expect(significant).toContain('hostname ');
  });

  it('RouterOS: the #significant_changes.yaml cases on the export', () => {
    const ros = platform('mikrotik-routeros');
    for (const id of ['CHR_7.16', 'CHR_7.10.1', 'L009UiGS_7.15.2']) {
      const t = loadTranscript(corpusPath('ssh-sessions', `routeros#${id}#simulation.yaml`));
      const raw = t.exchanges.find((e) => e.command === '/export show-sensitive')!.response;
      const significant = significantText(ros.redact(raw), ros.ssh.volatile);
      const cases = parse(readFileSync(corpusPath('ssh-sessions', `routeros#${id}#significant_changes.yaml`), 'utf8')) as { pass: string[]; fail: string[] };
      // The `pass` lines come from commands aaawatch does not send (package and resource prints) or from the export.
      for (const kept of cases.pass.filter((p) => raw.includes(p))) expect(significant).toContain(kept);
      for (const gone of cases.fail) expect(significant).not.toContain(gone);
    }
  });
});
