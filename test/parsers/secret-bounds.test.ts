// Where the secret gate stops reading, it fails safe (issue 11): a secret past any distance the
// grammar reads is still removed, and what a bound leaves unseen is hidden rather than kept.
// README "What is redacted" states these. Each case is a line a form reads in its ordinary shape,
// stretched past where an older version of the gate stopped looking (32 separators before a
// command, 4,096 characters between a command's first word and its secret word, a FortiOS cfgattr
// or value over 1,024 characters) and beyond.

import { describe, expect, it } from 'vitest';
import { REDACTED, redactSecrets } from '../../parsers/lib/secrets.js';

const pad = (n: number): string => 'x '.repeat(Math.ceil(n / 2)).slice(0, n);

describe('a command after a long run of separators', () => {
  it.each([32, 33, 100, 5_000, 100_000])('%i spaces before `key X` (no type digit)', (n) => {
    const line = `<189>1: r1: %PARSER-5-CFGLOG_LOGGEDCMD: User:ops  logged command:${' '.repeat(n)}key Far-Cmd-Key-1`;
    expect(redactSecrets(line)).toBe(line.replace('Far-Cmd-Key-1', REDACTED));
  });

  it.each([33, 5_000])('%i tabs and NUL bytes before `snmp-server community X`', (n) => {
    const line = `cmd=${'\t\0'.repeat(n)}snmp-server community Far-Comm-2 RO`;
    expect(redactSecrets(line)).toBe(line.replace('Far-Comm-2', REDACTED));
  });
});

describe('a secret word far from its command', () => {
  it.each([4_000, 4_097, 10_000, 60_000])('%i characters between the command and its secret word', (n) => {
    const cases = [
      [`radius-server host 192.0.2.1 ${pad(n)} key Far-Radius-3`, 'Far-Radius-3'],
      [`tacacs-server host 192.0.2.1 ${pad(n)} key 7 Far-Tacacs-4`, 'Far-Tacacs-4'],
      [`mysql -u root ${pad(n)} -pFar-Mysql-5 appdb`, 'Far-Mysql-5'],
      [`curl -s ${pad(n)} -u ci:Far-Curl-6 https://example.test/`, 'Far-Curl-6'],
      [`ldapsearch -x ${pad(n)} -w Far-Ldap-7`, 'Far-Ldap-7'],
      [`passwd --stdin ops ${pad(n)} <<< Far-Stdin-8`, 'Far-Stdin-8'],
      [`useradd -m ${pad(n)} -p Far-Useradd-9 ops`, 'Far-Useradd-9'],
    ] as const;
    for (const [line, secret] of cases) expect(redactSecrets(line), line.slice(0, 40)).toBe(line.replace(secret, REDACTED));
  });
});

describe('a FortiOS cfgattr past 1,024 characters', () => {
  const event = (cfgattr: string): string =>
    `date=2026-12-03 time=17:31:01 devname="FGT-BR" logid="0100044547" type="event" subtype="system" logdesc="Object attribute configured" user="ops" action="Edit" cfgpath="user.local" cfgobj="u1" cfgattr="${cfgattr}" msg="Edit user.local u1"`;
  const others = (n: number): string => Array.from({ length: Math.ceil(n / 24) }, (_, i) => `comment${i}[a->b]`).join('').slice(0, n);

  it.each([500, 1_100, 5_000])('a password after %i characters of other attributes', (n) => {
    const line = event(`${others(n)}passwd[Old-Far-10->New-Far-11]status[enable]`);
    expect(redactSecrets(line)).toBe(line.replace('Old-Far-10', REDACTED).replace('New-Far-11', REDACTED));
  });

  it.each([1_000, 1_025, 5_000])('a password value of %i characters', (n) => {
    const value = `Long-Value-12-${'y'.repeat(n)}`;
    const line = event(`passwd[${value}]status[enable]`);
    expect(redactSecrets(line)).toBe(line.replace(value, REDACTED));
  });

  it('a value the message was cut inside (no closing bracket, no closing quote)', () => {
    const whole = event('passwd[Cut-Value-13]');
    const line = whole.slice(0, whole.indexOf(']'));
    expect(line.endsWith('cfgattr="passwd[Cut-Value-13')).toBe(true);
    expect(redactSecrets(line)).toBe(line.replace('Cut-Value-13', REDACTED));
  });

  it("an SNMP community's name after 5,000 characters of other attributes", () => {
    const line = event(`${others(5_000)}name[Far-Community-14]`).replace('cfgpath="user.local"', 'cfgpath="system.snmp.community"');
    expect(redactSecrets(line)).toBe(line.replace('Far-Community-14', REDACTED));
  });
});

describe('a name the gate cannot see past its bound is hidden, never a secret kept', () => {
  it.each([31, 33, 1_000])('`username` then %i spaces before an account named `password`', (n) => {
    const out = redactSecrets(`username${' '.repeat(n)}password password 0 Name-Bound-15`);
    expect(out).not.toContain('Name-Bound-15');
  });
});
