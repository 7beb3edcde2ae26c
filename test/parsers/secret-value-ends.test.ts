// A value that ends in a character the text around it also uses — a quote, `;`, `)`, `]`, `>`, a
// backslash — loses its last character too, and the text keeps the closing character it opened
// (issue 11: such a value used to leave its last character in the store, or take the text's).
// The same character is the value's or the text's depending on what stands before the value on its
// line, in every platform's forms alike: the engine decides (parsers/lib/secrets/grammar.ts, bareEnd).

import { describe, expect, it } from 'vitest';
import { platformById } from '../../parsers/index.js';
import { REDACTED, redactSecrets } from '../../parsers/lib/secrets.js';

const R = REDACTED;

describe('a value ending in a closing character', () => {
  it.each([
    // The character is the value's: nothing before it opened one.
    ['IOS archive log, `)`', 'logged command:username bob secret 0 Pa55)', `logged command:username bob secret 0 ${R}`],
    ['IOS key in a server sub-mode, `;`', '%PARSER-5-CFGLOG_LOGGEDCMD: User:bob  logged command:key 0 TacKey;', `%PARSER-5-CFGLOG_LOGGEDCMD: User:bob  logged command:key 0 ${R}`],
    ["IOS enable secret, `'`", "logged command:enable secret 0 Ena'", `logged command:enable secret 0 ${R}`],
    ['NX-OS accounting, `\\`', 'update:192.0.2.44@pts/0:bob:username ops password 0 Back\\ (SUCCESS)', `update:192.0.2.44@pts/0:bob:username ops password 0 ${R} (SUCCESS)`],
    ['AOS-CX, `"`', 'cmd=user cxops group administrators password plaintext Quo" <cr>', `cmd=user cxops group administrators password plaintext ${R} <cr>`],
    ['Comware SHELL_CMD, `)`', '%%10SHELL/6/SHELL_CMD: -Line=vty0-IPAddr=192.0.2.44-User=bob; Command is password simple Smile:)', `%%10SHELL/6/SHELL_CMD: -Line=vty0-IPAddr=192.0.2.44-User=bob; Command is password simple ${R}`],
    ['VyOS set command, `]`', 'cmd=set system login user vyops authentication plaintext-password Arr]', `cmd=set system login user vyops authentication plaintext-password ${R}`],
    ['RouterOS attribute, `)`', '/user add name=bob group=full password=Ros)', `/user add name=bob group=full password=${R}`],
    ['FortiOS set line, `;`', 'set psksecret Forti;', `set psksecret ${R}`],
    ['ArubaOS mgmt-user, `>`', 'mgmt-user ops root Gt>', `mgmt-user ops root ${R}`],
    // The character is the text's: the text opened it before the value.
    ["ASA 111008, the command in `'…'`", "%ASA-5-111008: User 'admin' executed the 'key AsaKey' command.", `%ASA-5-111008: User 'admin' executed the 'key ${R}' command.`],
    ["ASA 111008, a value ending in `'` inside `'…'`", "%ASA-5-111008: User 'admin' executed the 'key Asa'Key'' command.", `%ASA-5-111008: User 'admin' executed the 'key ${R}' command.`],
    ['RouterOS log, `(… password=X)`', 'user bob changed by admin (/user set bob password=RosPw)', `user bob changed by admin (/user set bob password=${R})`],
    ['RouterOS log, a value ending in `)` inside `(…)`', 'user bob changed by admin (/user set bob password=Ros(1))', `user bob changed by admin (/user set bob password=${R})`],
    ['ArubaOS audit trail, `COMMAND:<…>`', 'USER:admin@192.0.2.44 COMMAND:<wpa-passphrase AosWpa> -- command executed successfully', `USER:admin@192.0.2.44 COMMAND:<wpa-passphrase ${R}> -- command executed successfully`],
    // JSON text: a `\"` inside a value is a quote the password holds, unless a `\"` before the value opened it.
    ['JSON, a value holding escaped quotes', '{"cmd":"username bob password 0 Json\\"x"}', `{"cmd":"username bob password 0 ${R}"}`],
    ['JSON, a bare value holding escaped quotes, words after it', '{"message":"username bob password pa\\"ss\\"word more"}', `{"message":"username bob password ${R} more"}`],
    ['JSON, the command in `\\"…\\"`', '{"msg":"executed \\"key 7 JsonKey\\" ok"}', `{"msg":"executed \\"key 7 ${R}\\" ok"}`],
    ['JSON, `\\n` ends a value inside a string', '{"config":"username bob password 0 Nl1\\nusername eve privilege 1"}', `{"config":"username bob password 0 ${R}\\nusername eve privilege 1"}`],
    // A value opened by `\"` inside a JSON string ends at the `\"` that closes it, read as the string decodes.
    ['JSON, `\\"…\\"` holding `\\\\\\"`', '{"message":"username bob password \\"pa\\\\\\"ss\\\\\\"word\\" next"}', `{"message":"username bob password \\"${R}\\" next"}`],
    ['JSON, `\\"…\\"` ending in an escaped backslash', '{"message":"set password \\"abc\\\\\\\\\\" next"}', `{"message":"set password \\"${R}\\" next"}`],
    ['JSON in JSON, a password key', '{"full_log":"{\\"password\\":\\"pa\\\\\\"ss\\\\\\"word\\",\\"user\\":\\"bob\\"}"}', `{"full_log":"{\\"password\\":\\"${R}\\",\\"user\\":\\"bob\\"}"}`],
    ['JSON, a password key holding escaped quotes', '{"password":"pa\\"ss\\"word","user":"bob"}', `{"password":"${R}","user":"bob"}`],
    ['JSON, SNMPv3 auth and priv values both in `\\"…\\"`', '{"cmd":"snmp-server user u1 g1 v3 auth sha \\"Auth1Pass\\" priv aes 128 \\"Priv1Pass\\""}', `{"cmd":"snmp-server user u1 g1 v3 auth sha \\"${R}\\" priv aes 128 \\"${R}\\""}`],
    ['JSON, NX-OS SNMPv3 values in `\\"…\\"`, no cipher named', '{"cmd":"snmp-server user admin network-admin auth md5 \\"0xabc1\\" priv \\"0xdef2\\" localizedkey"}', `{"cmd":"snmp-server user admin network-admin auth md5 \\"${R}\\" priv \\"${R}\\" localizedkey"}`],
    ['RADIUS in JSON', '{"msg":"User-Password = \\"pa\\\\\\"ss\\\\\\"word\\""}', `{"msg":"User-Password = \\"${R}\\""}`],
    ['JSON, a value ending in an escaped backslash', '{"cmd":"username bob password 0 Json\\\\"}', `{"cmd":"username bob password 0 ${R}"}`],
    ['JSON, a value in a string', '{"cmd":"key 7 0822455D0A16"}', `{"cmd":"key 7 ${R}"}`],
    ['NX-OS accounting, commands separated by ` ; `', 'update:192.0.2.44@pts/0:bob:configure terminal ; tacacs-server key 0 NxKey ; exit (SUCCESS)', `update:192.0.2.44@pts/0:bob:configure terminal ; tacacs-server key 0 ${R} ; exit (SUCCESS)`],
    ['PAN-OS config log, `X; }`', '"ldap { bind-password PanPw; } "', `"ldap { bind-password ${R}; } "`],
    ['FortiManager changes, `,name=` ends the value', 'changes="type=user_radius,key=R,secret=FmgSec,auth-type=auto"', `changes="type=user_radius,key=R,secret=${R},auth-type=auto"`],
  ])('%s', (_, line, expected) => {
    expect(redactSecrets(line)).toBe(expected);
    expect(redactSecrets(expected)).toBe(expected);
  });

  it('a Junos statement keeps its `;`; an IOS line ending in one loses it with the value', () => {
    const junos = platformById('juniper-junos')!.redact!;
    const cfg = 'snmp {\n    community PubComm;\n}\nsystem {\n    radius-server 192.0.2.22 {\n        secret Plain1;\n    }\n}\n';
    expect(redactSecrets(junos(cfg))).toBe(`snmp {\n    community ${R};\n}\nsystem {\n    radius-server 192.0.2.22 {\n        secret ${R};\n    }\n}\n`);
    const ios = platformById('cisco-ios')!.redact!;
    expect(redactSecrets(ios('tacacs server ISE\n key 0 Semi;\n!\nusername bob secret 0 Colon;\n'))).toBe(`tacacs server ISE\n key 0 ${R}\n!\nusername bob secret 0 ${R}\n`);
  });
});

describe('a value already removed', () => {
  // Oxidized's `#secret.yaml` recordings and configurations an operator exported through it carry
  // `<secret removed>` (with its space) where a value stood: read as a bare value it was cut in two
  // (`hash <secret <redacted>>`), and a second pass then took the word before it for the value.
  it.each([
    ['Aruba Instant hash-mgmt-user', 'hash-mgmt-user oxidized password hash <secret removed>'],
    ['IOS username secret', 'username bob privilege 15 secret 5 <secret removed>'],
    ['VyOS plaintext-password', 'set system login user u authentication plaintext-password <secret removed>'],
    ['our own placeholder', `username bob secret 0 ${R}`],
  ])('%s stays as it is, pass after pass', (_, line) => {
    expect(redactSecrets(line)).toBe(line);
  });

  it.each([
    ['password <redacted>abc', `password ${R}`],
    ['username bob secret 5 <secret removed>x1y2', `username bob secret 5 ${R}`],
    ['set password <secret hidden>zz', `set password ${R}`],
    ['key 7 <removed>0822', `key 7 ${R}`],
    ['{"cmd":"username bob password 0 <redacted>abc"}', `{"cmd":"username bob password 0 ${R}"}`],
    ['/user set bob password=<redacted>abc', `/user set bob password=${R}`],
  ])('a value that only begins with a placeholder is replaced whole: %s', (line, expected) => {
    expect(redactSecrets(line)).toBe(expected);
    expect(redactSecrets(expected)).toBe(expected);
  });

  it.each([
    ['password <redacted>;', 'password <redacted>;'],
    ['{"cmd":"username bob password 0 <redacted>"}', '{"cmd":"username bob password 0 <redacted>"}'],
    ['(/user set bob password=<redacted>)', '(/user set bob password=<redacted>)'],
  ])('a placeholder that is the whole value stays, with what closes it: %s', (line, expected) => {
    expect(redactSecrets(line)).toBe(expected);
  });
});

describe("a Cisco clear (type 0) value with blanks, which IOS reads to the line's end", () => {
  const R = '<redacted>';
  it.each([
    ['a logged username command', 'User:admin  logged command:username bob password 0 two words', `User:admin  logged command:username bob password 0 ${R}`],
    ['an enable secret with a level', 'enable password level 15 0 abc def', `enable password level 15 0 ${R}`],
    ['an enable secret', 'logged command:enable secret 0 my pass phrase', `logged command:enable secret 0 ${R}`],
    ['a passphrase opening with a prose word', 'logged command:username bob secret 0 the quick fox', `logged command:username bob secret 0 ${R}`],
    ['a one-letter prose word first', 'enable secret 0 a bc', `enable secret 0 ${R}`],
    ["a username in NX-OS's accounting", 'update:192.0.2.44@pts/0:bob:configure terminal ; username bob secret 0 two words ; exit (SUCCESS)', `update:192.0.2.44@pts/0:bob:configure terminal ; username bob secret 0 ${R} ; exit (SUCCESS)`],
    ["a server's key", 'tacacs-server host 192.0.2.22 key 0 two words', `tacacs-server host 192.0.2.22 key 0 ${R}`],
    ['a second clear value after the first', 'mgmtuser username u password 0 P Q secret 0 R S', `mgmtuser username u password 0 ${R} secret 0 ${R}`],
    ["NX-OS's options after a value stay", 'radius-server host 10.1.1.1 key 0 X authentication accounting', `radius-server host 10.1.1.1 key 0 ${R} authentication accounting`],
    ["NX-OS's accounting around a command stays", 'update:192.0.2.44@pts/0:bob:configure terminal ; tacacs-server key 0 a b ; exit (SUCCESS)', `update:192.0.2.44@pts/0:bob:configure terminal ; tacacs-server key 0 ${R} ; exit (SUCCESS)`],
  ])('%s', (_, line, expected) => {
    expect(redactSecrets(line)).toBe(expected);
    expect(redactSecrets(expected)).toBe(expected);
  });
});
