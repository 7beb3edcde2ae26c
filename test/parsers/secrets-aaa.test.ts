// Secrets in AAA-server, host and cloud text: what redactSecrets must remove from ISE command
// sets, TACACS+ attribute lists, Linux command lines, FreeRADIUS auth lines and JSON records,
// and what it must leave alone.

import { describe, expect, it } from 'vitest';
import { REDACTED, redactSecrets } from '../../parsers/lib/secrets.js';

const R = REDACTED;

describe('redactSecrets on TACACS+ attribute lists', () => {
  it.each([
    [
      'CmdSet=[ CmdAV=username CmdArgAV=bob CmdArgAV=privilege CmdArgAV=15 CmdArgAV=secret CmdArgAV=0 CmdArgAV=Cleartext1 CmdArgAV=<cr> ]',
      `CmdSet=[ CmdAV=username CmdArgAV=bob CmdArgAV=privilege CmdArgAV=15 CmdArgAV=secret CmdArgAV=0 CmdArgAV=${R} CmdArgAV=<cr> ]`,
    ],
    [
      'CmdSet=[ CmdAV=username CmdArgAV=bob CmdArgAV=password CmdArgAV=Cleartext1 CmdArgAV=<cr> ]',
      `CmdSet=[ CmdAV=username CmdArgAV=bob CmdArgAV=password CmdArgAV=${R} CmdArgAV=<cr> ]`,
    ],
    ['CmdSet=[ CmdAV=username bob secret 0 Cleartext1 <cr> ]', `CmdSet=[ CmdAV=username bob secret 0 ${R} <cr> ]`],
    ['cmd=username cmd-arg=bob cmd-arg=secret cmd-arg=5 cmd-arg=$1$abc$def', `cmd=username cmd-arg=bob cmd-arg=secret cmd-arg=5 cmd-arg=${R}`],
    ['task_id=5\tservice=shell\tcmd=username bob privilege 15 secret 0 Cleartext1 <cr>', `task_id=5\tservice=shell\tcmd=username bob privilege 15 secret 0 ${R} <cr>`],
  ])('redacts %s', (text, want) => {
    expect(redactSecrets(text)).toBe(want);
  });

  it('leaves a command whose secret the device already left out', () => {
    const text = 'CmdSet=[ CmdAV=username CmdArgAV=bob CmdArgAV=secret CmdArgAV=<cr> ]';
    expect(redactSecrets(text)).toBe(text);
  });
});

describe('redactSecrets on Linux command lines', () => {
  it.each([
    ['useradd -m -p plainpw eve', `useradd -m -p ${R} eve`],
    ["useradd -p '$6$salt$hash' eve", `useradd -p '${R}' eve`],
    ['usermod --password=plain2 eve', `usermod --password=${R} eve`],
    ["sh -c echo 'bob:Secret1' | chpasswd", `sh -c echo 'bob:${R}' | chpasswd`],
    ['echo bob:S3cr3t|sudo chpasswd', `echo bob:${R}|sudo chpasswd`],
    ['openssl passwd -6 -salt xyz MyPass', `openssl passwd -6 -salt xyz ${R}`],
    ['openssl passwd -1 hunter2', `openssl passwd -1 ${R}`],
  ])('redacts %s', (text, want) => {
    expect(redactSecrets(text)).toBe(want);
  });

  it('leaves user-management commands without secrets alone', () => {
    for (const text of ['useradd -m -G sudo eve', 'usermod -aG wheel bob', 'gpasswd -a alice sudo', 'userdel -r bob']) {
      expect(redactSecrets(text)).toBe(text);
    }
  });
});

describe('redactSecrets on FreeRADIUS authentication lines', () => {
  it('removes the password auth_badpass/auth_goodpass write after the user name', () => {
    expect(redactSecrets('Login incorrect (pap: Cleartext-Password does not match): [bob/Wrong1] (from client nas01 port 0)')).toContain(`[bob/${R}]`);
    expect(redactSecrets('Auth: (3) Login OK: [bob/Right1] (from client nas01 port 0 cli 10.1.1.5)')).toBe(
      `Auth: (3) Login OK: [bob/${R}] (from client nas01 port 0 cli 10.1.1.5)`,
    );
  });

  it('keeps the server\'s own `<via Auth-Type = …>` note', () => {
    const text = 'Login incorrect: [bob/<via Auth-Type = PAP>] (from client nas01 port 0)';
    expect(redactSecrets(text)).toBe(text);
  });
});

describe('redactSecrets on JSON records', () => {
  it('replaces secret-named values and keeps the JSON valid', () => {
    const text = '{"requestParameters":{"userName":"bob","password":"Sup3r\\"secret","passwordResetRequired":true}}';
    const out = redactSecrets(text);
    expect(JSON.parse(out)).toEqual({ requestParameters: { userName: 'bob', password: R, passwordResetRequired: true } });
  });

  it('replaces the Value of a Password parameter (O365 cmdlet records)', () => {
    const text = '{"Operation":"New-MsolUser","Parameters":[{"Name":"UserPrincipalName","Value":"bob@contoso.com"},{"Name":"Password","Value":"P@ss w0rd"}]}';
    expect(JSON.parse(redactSecrets(text))).toEqual({
      Operation: 'New-MsolUser',
      Parameters: [{ Name: 'UserPrincipalName', Value: 'bob@contoso.com' }, { Name: 'Password', Value: R }],
    });
  });

  it('is idempotent', () => {
    const once = redactSecrets('{"secretAccessKey":"abc","x":"y"}');
    expect(redactSecrets(once)).toBe(once);
  });
});
