import { describe, expect, it } from 'vitest';
import { REDACTED, redactSecrets, redactStructuredData } from '../../parsers/lib/secrets.js';

const R = REDACTED;

describe('redactSecrets on network CLI commands', () => {
  it.each([
    ['username bob password 0 Cleartext1', 'username bob password 0 ' + R],
    ['username bob privilege 15 secret 9 $9$nhEmQVczB7dqsO$X.HsgL6x1il0', 'username bob privilege 15 secret 9 ' + R],
    ['username bob password 5 $5$Kd1L$abc role network-admin', `username bob password 5 ${R} role network-admin`],
    ['username bob secret sha512 $6$Vq2Xb1$abcdef', 'username bob secret sha512 ' + R],
    ['username bob password Cleartext1 privilege 15', `username bob password ${R} privilege 15`],
    ['enable secret 0 x', 'enable secret 0 ' + R],
    ['enable password 7 0822455D0A16', 'enable password 7 ' + R],
    ['set system login user bob authentication plain-text-password-value Secret1', 'set system login user bob authentication plain-text-password-value ' + R],
    ['set system login user bob authentication encrypted-password "$6$abc$def"', `set system login user bob authentication encrypted-password "${R}"`],
    ['set password ENC SH2nlSm9QL9tapcHPXIqAXvX7vBJuuqu22hpa1JX0aZt==', 'set password ENC ' + R],
    ['set password Cleartext1', 'set password ' + R],
    // Huawei VRP, H3C Comware and AOS-CX name the value's form between keyword and value (a typed
    // command reaches their logs in clear): the value goes, not the form word.
    ['local-user bob password irreversible-cipher Cleartext1', 'local-user bob password irreversible-cipher ' + R],
    ['local-user bob password cipher %^%#abc%^%#', 'local-user bob password cipher ' + R],
    ['password simple Cleartext1', 'password simple ' + R],
    ['password hash $h$6$abc$def', 'password hash ' + R],
    ['snmp-agent community read cipher Cleartext1', 'snmp-agent community read cipher ' + R],
    ['snmp-agent community write public1', 'snmp-agent community write ' + R],
    ['user bob group administrators password ciphertext AQBapXYZ', 'user bob group administrators password ciphertext ' + R],
    ['Event|2302|LOG_INFO|AMM|1/1|TACACS global default tacacs_passkey update :   -> AbC+123=', 'Event|2302|LOG_INFO|AMM|1/1|TACACS global default tacacs_passkey update :   -> ' + R],
  ])('redacts %s', (text, want) => {
    expect(redactSecrets(text)).toBe(want);
  });

  it('keeps values the device already masked', () => {
    for (const text of ['username bob privilege 15 secret *', 'snmp-server community * ro', 'Configured from ftp://robot:*@192.0.2.9/r1.cfg by vty0', 'password simple ******']) {
      expect(redactSecrets(text)).toBe(text);
    }
  });

  it('leaves commands without secrets unchanged', () => {
    for (const text of ['show running-config | include username', 'show aaa', 'priv-lvl=15 cmd=show version', 'username bob privilege 15 role network-admin']) {
      expect(redactSecrets(text)).toBe(text);
    }
  });

  it('redacts credentials in URLs', () => {
    expect(redactSecrets('Configured from tftp://backup:S3cret@192.0.2.9/r1.cfg by netadmin')).toBe(`Configured from tftp://backup:${R}@192.0.2.9/r1.cfg by netadmin`);
    expect(redactSecrets('copy scp://user:pa55@192.0.2.9/f running-config')).toBe(`copy scp://user:${R}@192.0.2.9/f running-config`);
  });

  it('redacts SNMPv3 authentication and privacy passwords', () => {
    expect(redactSecrets('snmp-server user u1 g1 v3 auth sha Secret1 priv aes 128 Secret2')).toBe(`snmp-server user u1 g1 v3 auth sha ${R} priv aes 128 ${R}`);
    expect(redactSecrets('snmp-server user u1 network-admin auth md5 Secret1 priv Secret2')).toBe(`snmp-server user u1 network-admin auth md5 ${R} priv ${R}`);
  });

  it('redacts SSH public keys', () => {
    expect(redactSecrets('username bob ssh-key ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 bob@laptop')).not.toContain('AAAAB3NzaC1yc2EAAAADAQABAAABAQC7');
  });
});

describe('redactSecrets on NX-OS RESTCONF payloads and DME object trees', () => {
  it.each([
    ['payload=[<User-list><name>bob</name><pwd>Cleartext1</pwd><pwdEncryptType>0</pwdEncryptType></User-list>]', `payload=[<User-list><name>bob</name><pwd>${R}</pwd><pwdEncryptType>0</pwdEncryptType></User-list>]`],
    ['<nx:pwd xmlns:nx="urn:x">Cleartext1</nx:pwd>', `<nx:pwd xmlns:nx="urn:x">${R}</nx:pwd>`],
    ['<password>Cleartext1</password><key>TacKey1</key>', `<password>${R}</password><key>${R}</key>`],
    ['<authpwd>Cleartext1</authpwd>', `<authpwd>${R}</authpwd>`],
    ['payload=[{"name":"bob","pwd":"Clear\\"text1","pwdEncryptType":"0"}]', `payload=[{"name":"bob","pwd":"${R}","pwdEncryptType":"0"}]`],
    ['<aaaUser name="bob" pwd="Cleartext1" pwdEncryptType="clear"/>', `<aaaUser name="bob" pwd="${R}" pwdEncryptType="clear"/>`],
    // A payload cut at 3K characters inside the secret: everything after the tag goes.
    ['payload=[<User-list><name>bob</name><pwd>Clearte] (SUCCESS)', `payload=[<User-list><name>bob</name><pwd>${R}`],
  ])('redacts %s', (text, want) => {
    expect(redactSecrets(text)).toBe(want);
  });

  it('leaves shell PWD=, password-type leaves and other elements alone, and is idempotent', () => {
    for (const text of [
      'sudo: vagrant : TTY=pts/0 ; PWD=/home/vagrant ; USER=root ; COMMAND=/bin/ls',
      '<pwdEncryptType>0</pwdEncryptType><keyEnc>7</keyEnc><descr>test</descr>',
      '{"pwdEncryptType":"0","name":"bob"}',
    ]) {
      expect(redactSecrets(text)).toBe(text);
    }
    const once = redactSecrets('<pwd>a</pwd> pwd="b" {"pwd":"c"}');
    expect(once).toBe(`<pwd>${R}</pwd> pwd="${R}" {"pwd":"${R}"}`);
    expect(redactSecrets(once)).toBe(once);
  });
});

describe('structured data (RFC 5424 SD-PARAMs, as parse prints header.sd)', () => {
  it('knows a value for a secret by its parameter name, escapes and all, and reads a value\'s own text', () => {
    const sd = { 'acct@32473': { user: 'sdops', password: 'Sd"Pa55"wordX9', secret: 'SdSecret\\', msg: 'username bob secret 0 SdMsg-Secret1', note: 'a "quoted" ]x\\' } };
    expect(redactStructuredData(sd)).toEqual({
      'acct@32473': { user: 'sdops', password: REDACTED, secret: REDACTED, msg: `username bob secret 0 ${REDACTED}`, note: 'a "quoted" ]x\\' },
    });
  });
});
