// The forms issue 11 found leaking and the words it found wrongly hidden, each as a line a device
// or host writes: only the value goes, every other byte stays; prose that merely contains a
// keyword is left as it is.

import { describe, expect, it } from 'vitest';
import { platforms } from '../../parsers/index.js';
import { REDACTED, redactDeep, redactSecrets } from '../../parsers/lib/secrets.js';
import { platformGrammars } from '../../parsers/secrets.js';

const R = REDACTED;

describe('secret forms that used to leak', () => {
  it.each([
    // IOS server sub-modes, as the archive log and TACACS+ accounting quote the command.
    ['%PARSER-5-CFGLOG_LOGGEDCMD: User:bob  logged command:key 7 0822455D0A165B', `%PARSER-5-CFGLOG_LOGGEDCMD: User:bob  logged command:key 7 ${R}`],
    ['%PARSER-5-CFGLOG_LOGGEDCMD: User:bob  logged command:key TacKey99', `%PARSER-5-CFGLOG_LOGGEDCMD: User:bob  logged command:key ${R}`],
    ['cmd=key Radius$Key1 <cr>', `cmd=key ${R} <cr>`],
    ['logged command:crypto isakmp key IkeKey42 address 192.0.2.7', `logged command:crypto isakmp key ${R} address 192.0.2.7`],
    ['logged command:ip ospf message-digest-key 1 md5 OspfKey7', `logged command:ip ospf message-digest-key 1 md5 ${R}`],
    ['logged command:wpa-psk ascii 0 WifiPsk123', `logged command:wpa-psk ascii 0 ${R}`],
    ['logged command:security wpa psk set-key ascii 0 WifiPsk456', `logged command:security wpa psk set-key ascii 0 ${R}`],
    ['logged command:standby 1 authentication HsrpKey1', `logged command:standby 1 authentication ${R}`],
    ['logged command:standby 1 authentication text HsrpKey2', `logged command:standby 1 authentication text ${R}`],
    ['logged command:snmp-server host 192.0.2.9 version 2c CommRW1', `logged command:snmp-server host 192.0.2.9 version 2c ${R}`],
    ['logged command:snmp-server host 192.0.2.9 informs version 2c CommRW2 udp-port 1162', `logged command:snmp-server host 192.0.2.9 informs version 2c ${R} udp-port 1162`],
    // ASA: a `key` in an aaa-server host sub-mode, and 502101's Encpass.
    ["%ASA-5-111008: User 'admin' executed the 'key AsaKey77' command.", `%ASA-5-111008: User 'admin' executed the 'key ${R}' command.`],
    ['%ASA-5-502101: New user added to local dbase: Uname: bob Priv: 15 Encpass: Clear99', `%ASA-5-502101: New user added to local dbase: Uname: bob Priv: 15 Encpass: ${R}`],
    // FortiOS.
    ['logdesc="Attribute configured" cfgpath="vpn.ipsec.phase1-interface" cfgattr="psksecret[Forti1]" msg="Edit"', `logdesc="Attribute configured" cfgpath="vpn.ipsec.phase1-interface" cfgattr="psksecret[${R}]" msg="Edit"`],
    ['cfgattr="password[FortiAdm1]"', `cfgattr="password[${R}]"`],
    ['set psksecret VpnSecret9', `set psksecret ${R}`],
    // PAN-OS.
    ['<phash>$5$abcdefgh$0123456789abcdef</phash>', `<phash>${R}</phash>`],
    ['set mgt-config users bob phash $1$abcd$efgh', `set mgt-config users bob phash ${R}`],
    // Linux command lines.
    ['proc.cmdline=sh -c echo Linux42 | passwd --stdin bob', `proc.cmdline=sh -c echo ${R} | passwd --stdin bob`],
    ["chpasswd <<< 'bob:HereStr1'", `chpasswd <<< 'bob:${R}'`],
    ['useradd -m -p $6$salt$hashhash eve', `useradd -m -p ${R} eve`],
    // getopt's joined forms hide the same value.
    ['useradd -m -pJoined7 eve', `useradd -m -p${R} eve`],
    ['useradd -mpJoined8 eve', `useradd -mp${R} eve`],
    ['usermod -ap Joined9 -G wheel eve', `usermod -ap ${R} -G wheel eve`],
    ['useradd -m -s /bin/sh eve', 'useradd -m -s /bin/sh eve'],
    // Windows 4688.
    ['Process Command Line:\tnet user bob WinPass1 /add', `Process Command Line:\tnet user bob ${R} /add`],
    ['Process Command Line: C:\\Windows\\system32\\net1 user bob WinPass2', `Process Command Line: C:\\Windows\\system32\\net1 user bob ${R}`],
    // RADIUS: the `=` stays, the password goes, its quotes stay.
    ['User-Password = "RadPass1"', `User-Password = "${R}"`],
    ['Cleartext-Password := "RadPass2"', `Cleartext-Password := "${R}"`],
    // Huawei, Aruba.
    ['local-user bob password irreversible-cipher $1a$abcdefgh$ijklmnop$', `local-user bob password irreversible-cipher ${R}`],
    ['Command="local-user bob password irreversible-cipher VrpPlain1"', `Command="local-user bob password irreversible-cipher ${R}"`],
    ['mgmt-user bob password ciphertext ArubaCipher1', `mgmt-user bob password ciphertext ${R}`],
    ['snmp-agent community read cipher %^%#abc"def|g#h%^%#', `snmp-agent community read cipher ${R}`],
    // Issue 15: passwords given as arguments to Samba, LDAP and 389-ds tools.
    ['smbpasswd -w S3cretLdap', `smbpasswd -w ${R}`],
    ['sudo: bob : TTY=pts/0 ; PWD=/root ; USER=root ; COMMAND=/usr/bin/smbpasswd -w S3cretLdap', `sudo: bob : TTY=pts/0 ; PWD=/root ; USER=root ; COMMAND=/usr/bin/smbpasswd -w ${R}`],
    ['type=EXECVE msg=audit(1700000000.1:2): argc=3 a0="smbpasswd" a1="-w" a2="S3cretLdap"', `type=EXECVE msg=audit(1700000000.1:2): argc=3 a0="smbpasswd" a1="-w" a2="${R}"`],
    ['smbpasswd -wS3cretLdap', `smbpasswd -w${R}`],
    ['smbpasswd -w "Two Words"', `smbpasswd -w "${R}"`],
    ['net -U admin%Hunter2x ads join', `net -U admin%${R} ads join`],
    ['net -S dc1 -U admin%Hunter2x rpc join', `net -S dc1 -U admin%${R} rpc join`],
    ['net ads join -Uadmin%Hunter2x', `net ads join -Uadmin%${R}`],
    ['type=EXECVE msg=audit(1700000000.1:3): argc=5 a0="net" a1="-U" a2="admin%Hunter2x" a3="ads" a4="join"', `type=EXECVE msg=audit(1700000000.1:3): argc=5 a0="net" a1="-U" a2="admin%${R}" a3="ads" a4="join"`],
    ['smbcquotas //fs/share -U bob%Hunter2x -L', `smbcquotas //fs/share -U bob%${R} -L`],
    ['wbinfo -a bob%Hunter2x', `wbinfo -a bob%${R}`],
    ['wbinfo --set-auth-user=bob%Hunter2x', `wbinfo --set-auth-user=bob%${R}`],
    // The shell joins a bare user and a quoted secret into one argument.
    ['net rpc user add carol -U Administrator%"Hunter 2x"', `net rpc user add carol -U Administrator%"${R}"`],
    ["smbclient //fs/share -U bob%'two words' -c ls", `smbclient //fs/share -U bob%'${R}' -c ls`],
    ['curl -u bob:"two words" https://h/api', `curl -u bob:"${R}" https://h/api`],
    ['ldapmodify -x -D cn=admin -wAdminPw1 -f x.ldif', `ldapmodify -x -D cn=admin -w${R} -f x.ldif`],
    ['ldappasswd -x -D cn=admin -w AdminPw1 -a OldPw111 -s NewPw222 uid=bob', `ldappasswd -x -D cn=admin -w ${R} -a ${R} -s ${R} uid=bob`],
    ['ldappasswd -x -D cn=admin -W -sNewPw222 uid=bob', `ldappasswd -x -D cn=admin -W -s${R} uid=bob`],
    ['dsconf -D "cn=Directory Manager" -w DmPass11 ldap://h backend suffix list', `dsconf -D "cn=Directory Manager" -w ${R} ldap://h backend suffix list`],
  ])('%s', (line, want) => {
    expect(redactSecrets(line)).toBe(want);
    expect(redactSecrets(want)).toBe(want);
  });

  it('is not defeated by a NUL or another control byte between keyword and value', () => {
    expect(redactSecrets('username bob password\u00000 NulPass1')).toBe(`username bob password\u00000 ${R}`);
    expect(redactSecrets('username bob secret\u0000NulPass2')).toBe(`username bob secret\u0000${R}`);
    expect(redactSecrets('logged command:key\u0000\u00017 NulKey3')).toBe(`logged command:key\u0000\u00017 ${R}`);
    expect(redactSecrets('username bob password#0110 TabPass4')).toBe(`username bob password#0110 ${R}`);
  });

  it('keeps every byte around the value: spacing, quotes, type digits', () => {
    expect(redactSecrets('username  bob   secret  9   $9$abc$def  ')).toBe(`username  bob   secret  9   ${R}  `);
    expect(redactSecrets("set password 'Quoted1'")).toBe(`set password '${R}'`);
    expect(redactSecrets('set password "Quoted 2"')).toBe(`set password "${R}"`);
  });

  it('removes secrets from structured data', () => {
    const sd = { 'meta@1': { cmd: 'username bob secret 0 SdPass1', n: '1' } };
    expect(redactDeep(sd)).toEqual({ 'meta@1': { cmd: `username bob secret 0 ${R}`, n: '1' } });
  });
});

describe('words that are no secret stay', () => {
  it.each([
    '%ASA-5-502103: User priv level changed: Uname: bob From: 1 To: 15',
    'sshd[812]: Failed password for root from 192.0.2.1 port 50022 ssh2',
    'sshd[812]: Failed password for invalid user admin from 192.0.2.1 port 50022 ssh2',
    'sshd[812]: Accepted password for bob from 192.0.2.1 port 50022 ssh2',
    'Key Length:\t0',
    'User Account Control: \'Password Not Required\' - Enabled',
    "type=USER_CHAUTHTOK msg=audit(1700000000.123:456): pid=1 uid=0 auid=1000 ses=1 msg='op=changing-password id=1001 exe=\"/usr/bin/passwd\" hostname=? addr=? terminal=pts/0 res=success'",
    'type=SYSCALL msg=audit(1700000000.123:457): arch=c000003e syscall=2 success=yes key="identity"',
    'type=CONFIG_CHANGE msg=audit(1700000000.123:458): auid=1000 op=add_rule key=passwd_changes list=4 res=1',
    'username passwd-admin privilege 15 role network-admin',
    'sudo: bob : TTY=pts/0 ; PWD=/home/bob ; USER=root ; COMMAND=/usr/bin/passwd alice',
    'proc.cmdline=passwd alice',
    'pam_unix(passwd:chauthtok): password changed for alice',
    'show key chain',
    'logged command:key chain OSPF-KEYS',
    'logged command:key 1',
    'password encryption aes',
    'snmp-server host 192.0.2.9 version 3 priv v3user',
    'community BGP-PEERS members 65000:100;',
    'net user bob /delete',
    'net user bob *',
    // Issue 15: the same tools asking for the password, or given none.
    'smbpasswd -a bob',
    'smbpasswd -x bob',
    'smbpasswd -W',
    'net ads join -U admin',
    'net ads join -U admin createcomputer=Servers',
    'ldappasswd -x -D cn=admin -W -S uid=bob',
    'ldapmodify -a -x -D cn=admin -W -f x.ldif',
    'wbinfo -u',
    '{"passwordLastSet":"2024-01-01T00:00:00Z","passwordResetRequired":true}',
  ])('%s', (line) => {
    expect(redactSecrets(line)).toBe(line);
  });

  it('a user name containing a keyword neither hides nor is hidden', () => {
    expect(redactSecrets('username passwd password 0 Real1')).toBe(`username passwd password 0 ${R}`);
    expect(redactSecrets('username secret secret 0 Real2')).toBe(`username secret secret 0 ${R}`);
  });
});

describe('the grammars', () => {
  // SonicOS logs are key=value lines (`usr="NAME" msg="…"`) with no secret form of their own: the
  // generic grammar's `password=`/`secret=` forms read them.
  // A platform offered only JSON objects (a cloud audit log: CloudTrail, Entra, Okta, GitHub,
  // Google Workspace) reads records whose secrets, when any, sit in named fields the generic
  // grammar's JSON forms read; every other platform needs its own. A rule, not a list, so adding a
  // JSON source touches only its folder.
  it('every platform has one, except the JSON-only sources the generic grammar reads', () => {
    const jsonOnly = (p: (typeof platforms)[number]): boolean =>
      p.offer?.tags === undefined && p.offer?.programs === undefined && p.offer?.msgIds === undefined && p.offer?.texts?.join() === '{';
    const without = platforms.filter((p) => !Object.hasOwn(platformGrammars, p.id));
    expect(without.filter((p) => !jsonOnly(p)).map((p) => p.id)).toEqual([]);
    expect(without.map((p) => p.id)).toEqual(expect.arrayContaining(['aws-cloudtrail', 'azure-entra']));
    for (const id of Object.keys(platformGrammars)) expect(platforms.map((p) => p.id)).toContain(id);
  });
});
