// The local accounts the configuration readers find in real configurations of the corpus
// (test/corpus/configs/, provenance in its README): what each device's own text says, read by eye.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { platformById } from '../../parsers/index.js';
import type { LocalAccount } from '../../src/types.js';
import { corpusPath } from '../support/corpus.js';

function accountsOf(platform: string, file: string): LocalAccount[] {
  const read = platformById(platform)?.accounts;
  if (!read) throw new Error(`${platform} reads no accounts`);
  return read(readFileSync(corpusPath('configs', platform, file), 'utf8'));
}

const brief = (accounts: LocalAccount[]): Array<Omit<LocalAccount, 'lines'>> => accounts.map(({ lines: _lines, ...rest }) => rest);

describe('EOS: `aaa root secret` is the root account', () => {
  it('a vEOS 4.19 running configuration (Metasploit): root and admin, the enable secret no account', () => {
    const accounts = accountsOf('arista-eos', 'metasploit-arista-config-veos.relevant');
    expect(brief(accounts)).toEqual([
      { name: 'root', privilege: '15', roles: [], credentials: ['secret'] },
      { name: 'admin', privilege: '15', roles: ['network-admin'], credentials: ['secret'] },
    ]);
    expect(accounts[0]!.lines).toEqual(['aaa root secret sha512 <redacted>']);
    expect(JSON.stringify(accounts)).not.toContain('$6$');
  });

  it('NAPALM\'s vEOS configuration: `aaa root secret 5` too', () => {
    const accounts = accountsOf('arista-eos', 'napalm-eos-initial.conf');
    expect(brief(accounts)).toEqual([
      { name: 'root', privilege: '15', roles: [], credentials: ['secret'] },
      { name: 'admin', privilege: '15', roles: ['network-admin'], credentials: ['secret'] },
      { name: 'vagrant', privilege: '15', roles: ['network-admin'], credentials: ['secret'] },
    ]);
    expect(accounts[0]!.lines).toEqual(['aaa root secret 5 <redacted>']);
    expect(JSON.stringify(accounts)).not.toContain('$1$');
  });

  it('`no aaa root` (the Oxidized recording) and `aaa root` commands that set no login are no account', () => {
    const read = platformById('arista-eos')!.accounts!;
    expect(read(readFileSync(corpusPath('ssh-sessions', 'eos#DCS-7050SX3-48YC8_4.29.2F#output.txt'), 'utf8'))).toEqual([]);
    // Not a corpus line: the forms that name root without giving it a password.
    expect(read(['no aaa root', 'aaa root', 'aaa rootless secret 5 $1$abcd$efgh'].join('\n'))).toEqual([]);
  });
});

describe('PAN-OS: a Panorama\'s administrators, not its templates\'', () => {
  it('reads the seven users of its own mgt-config; the template AAA\'s two (pushed to firewalls) add nothing', () => {
    const accounts = accountsOf('paloalto-panos', 'saute-panorama-config-xml.relevant');
    expect(brief(accounts)).toEqual([
      { name: 'admin', roles: ['superuser'], credentials: ['password'] },
      { name: '__vm_series', roles: ['panorama-admin'], credentials: ['password'] },
      { name: 'cdot', roles: ['superuser'], credentials: ['key', 'password'] },
      // The template gives a firewall's `automation` the custom role Automation: not Panorama's.
      { name: 'automation', roles: ['superuser'], credentials: ['key', 'password'] },
      { name: 'panofficehours', roles: ['superuser'], credentials: ['password'] },
      { name: '__cloud_services', roles: ['panorama-admin'], credentials: ['password'] },
      { name: '__vmware_vcenter', roles: ['panorama-admin'], credentials: ['password'] },
    ]);
    // Each account's lines are its own entry's, from `<entry name=…>` to `</entry>`, none of the template's.
    const automation = accounts.find((a) => a.name === 'automation')!;
    expect(automation.lines[0]).toBe('                    <entry name="automation">');
    expect(automation.lines).toHaveLength(9);
    expect(automation.lines.join('\n')).not.toContain('<custom>');
    expect(JSON.stringify(accounts)).not.toMatch(/\$5\$|c3NoLXJzYSBB/);
  });
});

describe('Huawei VRP: SSH users a key logs in as', () => {
  it('the NE40E guide\'s RSA example: client002 has a key and no local user, and is an account; root authorization gives both SSH users the top level', () => {
    const accounts = accountsOf('huawei-vrp', 'ne40e-stelnet-rsa-server.relevant');
    expect(brief(accounts)).toEqual([
      { name: 'client001', privilege: '15', roles: [], credentials: ['password'] },
      { name: 'client002', privilege: '15', roles: [], credentials: ['key'] },
    ]);
    expect(accounts[1]!.lines).toEqual([
      'ssh user client002',
      'ssh user client002 assign rsa-key rsakey001',
      'ssh user client002 authentication-type rsa',
      'ssh user client002 service-type stelnet',
    ]);
    expect(JSON.stringify(accounts)).not.toContain('UyQs4');
  });

  it('a key bound to a local user adds `key`; a key with password authentication, or an SSH user with neither, is no key login', () => {
    // Not corpus lines: the IPv4-user example's statements (its wrapped OpenSSH key is left out) and their variants.
    const read = platformById('huawei-vrp')!.accounts!;
    const aaa = ['aaa', ' local-user huawei123 password irreversible-cipher $1c$abcdefghij$klmnopqrstuvwxyz$', ' local-user huawei123 user-group manage-ug', '#'];
    expect(brief(read([...aaa, 'ssh user huawei123', 'ssh user huawei123 authentication-type rsa', 'ssh user huawei123 assign rsa-key rsa01'].join('\n')))).toEqual([
      { name: 'huawei123', roles: ['manage-ug'], credentials: ['secret', 'key'] },
    ]);
    expect(brief(read([...aaa, 'ssh user huawei123 authentication-type password', 'ssh user huawei123 assign rsa-key rsa01', 'ssh user ghost authentication-type password'].join('\n')))).toEqual([
      { name: 'huawei123', roles: ['manage-ug'], credentials: ['secret'] },
    ]);
    // VRP5 prints them one space in; the MA5800's quote the name.
    expect(brief(read([' ssh user "ops" authentication-type all', ' ssh user "ops" assign rsa-key "kops"'].join('\n')))).toEqual([{ name: 'ops', roles: [], credentials: ['key'] }]);
  });
});

describe('Comware: an SSH user a key logs in as', () => {
  it('an HP 5130 set up as its script types it: robert\'s key is his login, admin\'s password-only SSH user adds nothing but its line', () => {
    const accounts = accountsOf('h3c-comware', 'hp5130-setup-switch-ssh-users.relevant');
    expect(brief(accounts)).toEqual([
      { name: 'admin', roles: ['network-admin'], credentials: [] },
      { name: 'robert', roles: ['network-admin', 'network-operator'], credentials: ['key'] },
    ]);
    expect(accounts[1]!.lines.at(-1)).toBe('ssh user robert service-type stelnet authentication-type publickey assign publickey PI_KEY');
    expect(accounts[0]!.lines.at(-1)).toBe('ssh user admin service-type stelnet authentication-type password');
  });

  it('a key SSH user with no local user is an account of its own; Comware 5\'s separate lines and a PKI domain are read too', () => {
    // Not corpus lines: the command reference's forms (`display current-configuration` prints them one space in).
    const read = platformById('h3c-comware')!.accounts!;
    expect(brief(read([' ssh user ops service-type all authentication-type password-publickey assign pki-domain corp', ' ssh user aaa-only service-type all authentication-type password'].join('\n')))).toEqual([
      { name: 'ops', roles: [], credentials: ['key'] },
    ]);
    expect(brief(read(['local-user bkp class manage', ' password hash $h$6$abcdefghij$klmnopqrstuvwxyz', ' authorization-attribute level 3', '#', ' ssh user bkp service-type sftp', ' ssh user bkp authentication-type publickey', ' ssh user bkp assign publickey bkpkey'].join('\n')))).toEqual([
      { name: 'bkp', privilege: '15', roles: [], credentials: ['secret', 'key'] },
    ]);
  });
});

describe('FortiOS: REST API administrators', () => {
  it('an AWS GWLB bootstrap (lolaiur/aws-env): the API user holds its own profile resolved, its token is redacted; the admin entry closed by `end` keeps its own lines', () => {
    const accounts = accountsOf('fortinet-fortios', 'lolaiur-aws-env-forti.tpl');
    expect(brief(accounts)).toEqual([
      { name: '${user}', roles: ['super_admin'], credentials: ['password'] },
      { name: 'api-admin', roles: ['api (admin read-write)'], credentials: ['password'] },
    ]);
    expect(accounts[0]!.lines).toEqual(['edit ${user}', 'set password ${pass}', 'set accprofile super_admin']);
    expect(accounts[1]!.lines).toEqual(['config system api-user', 'edit "api-admin"', 'set api-key ENC <redacted>', 'set accprofile "api"', 'set vdom "root"', 'next']);
    expect(JSON.stringify(accounts)).not.toContain('SH2KG');
  });

  it('an API user whose token was never generated holds none', () => {
    // Not a corpus line: the CLI reference's shape with no `set api-key`.
    const read = platformById('fortinet-fortios')!.accounts!;
    expect(brief(read(['config system api-user', '    edit "reader"', '        set accprofile "super_admin_readonly"', '        set vdom "root"', '    next', 'end'].join('\n')))).toEqual([
      { name: 'reader', roles: ['super_admin_readonly'], credentials: ['none'] },
    ]);
  });
});

describe('ArubaOS: management users a controller prints', () => {
  it('`show running-config | include mgmt-user` of a 6.4/6.5 controller (rafahpe/device-hardening): `mgmt-user console-block` is a setting, not a user', () => {
    const accounts = accountsOf('aruba-aos', 'rafahpe-controller-mgmt-user.relevant');
    expect(brief(accounts)).toEqual([
      { name: 'admin', roles: ['root'], credentials: ['secret'] },
      { name: 'operator', roles: ['root'], credentials: ['secret'] },
    ]);
    expect(JSON.stringify(accounts)).not.toMatch(/d0d5231601a3|8bcc837e019d7/);
  });

  it('users a certificate logs in as hold their role and `key`; the other settings are no user', () => {
    // Not corpus lines: the forms of the ArubaOS CLI reference's `mgmt-user` (Dell W-Series ArubaOS 6.4 user guide, p. 647).
    const read = platformById('aruba-aos')!.accounts!;
    const text = [
      'mgmt-user ssh-pubkey client-cert netops-cert netops root',
      'mgmt-user webui-cacert corp-ca serial 4A1F guest1 guest-provisioning',
      'mgmt-user localauth-disable',
      'mgmt-user localdb maximum-expiration 720',
    ].join('\n');
    expect(brief(read(text))).toEqual([
      { name: 'netops', roles: ['root'], credentials: ['key'] },
      { name: 'guest1', roles: ['guest-provisioning'], credentials: ['key'] },
    ]);
    // The serial number is no hash: the line is kept whole.
    expect(read(text)[1]!.lines).toEqual(['mgmt-user webui-cacert corp-ca serial 4A1F guest1 guest-provisioning']);
  });
});
