// Lines built to make a redaction engine read them again and again (issue 11): 100 KB of `\"`, of
// `\\`, of `"password":"` repeated, long runs of spaces, tabs or NUL bytes between a keyword and
// its value, thousands of values on one line, a command's first word repeated with its secret word
// never coming. Each is redacted correctly: the output is asserted whole. How long they take is
// not asserted here (no timed tests); `npm run bench:parse` measures the gate, and a form that
// reads a line again from each position (a lookbehind scanning back, `[^\n]*?` from every
// occurrence, two ways to read one tab) makes these tests run for minutes instead of milliseconds.

import { describe, expect, it } from 'vitest';
import { REDACTED, redactSecrets } from '../../parsers/lib/secrets.js';

const R = REDACTED;
const KB100 = 100_000;
/** `unit` repeated to about 100 KB. */
const times = (unit: string): number => Math.ceil(KB100 / unit.length);

describe('hostile lines are redacted in one pass', () => {
  it.each<[string, string, string]>([
    // The three the issue names.
    ['100 KB of `\\"` as a JSON password', `{"password":"${'\\"'.repeat(times('\\"'))}"}`, `{"password":"${R}"}`],
    ['100 KB of `\\"` after a keyword in a JSON string (empty quoted values)', `{"message":"password ${'\\"'.repeat(times('\\"'))}"}`, `{"message":"password ${'\\"'.repeat(times('\\"'))}"}`],
    ['100 KB of `\\\\` as a bare value in a JSON string', `{"message":"password ${'\\\\'.repeat(times('\\\\'))}"}`, `{"message":"password ${R}"}`],
    ['100 KB of `\\\\` inside a quoted value', `password "${'\\\\'.repeat(times('\\\\'))}" end`, `password "${R}" end`],
    ['100 KB of `\\\\\\"` inside a `\\"…\\"` value', `{"message":"password \\"${'\\\\\\"'.repeat(times('\\\\\\"'))}\\" end"}`, `{"message":"password \\"${R}\\" end"}`],
    // Each value is empty (the next key's quote closes it): nothing to replace.
    ['`"password":"` repeated over 100 KB', '{' + '"password":"'.repeat(times('"password":"')), '{' + '"password":"'.repeat(times('"password":"'))],
    ['`\\"password\\":\\"` repeated over 100 KB', '\\"password\\":\\"'.repeat(times('\\"password\\":\\"')), '\\"password\\":\\"'.repeat(times('\\"password\\":\\"'))],
    ['`"password":"` with values, repeated', '{' + '"password":"Rep3at",'.repeat(times('"password":"Rep3at",')), '{' + `"password":"${R}",`.repeat(times('"password":"Rep3at",'))],
    // Thousands of values on one line.
    ['`password x ` repeated', 'password Xx1 '.repeat(times('password Xx1 ')), `password ${R} `.repeat(times('password Xx1 '))],
    ['`password x; ` repeated', 'password Xx1; '.repeat(times('password Xx1; ')), `password ${R}; `.repeat(times('password Xx1; '))],
    ['JSON commands holding quotes, repeated', `{"message":"${'username bob password 0 pa\\"ss\\"word '.repeat(2500)}"}`, `{"message":"${`username bob password 0 ${R} `.repeat(2500)}"}`],
    // Long runs between a keyword and its value.
    ['100 KB of spaces before a command', `logged command:${' '.repeat(KB100)}key 7 Sp4ceKey`, `logged command:${' '.repeat(KB100)}key 7 ${R}`],
    ['100 KB of tabs after `key`', `key${'\t'.repeat(KB100)}`, `key${'\t'.repeat(KB100)}`],
    ['100 KB of tabs between `password` and its value', `password${'\t'.repeat(KB100)}T4bPass`, `password${'\t'.repeat(KB100)}${R}`],
    ['100 KB of NUL bytes between `password` and its value', `password${'\0'.repeat(KB100)}Nu1Pass`, `password${'\0'.repeat(KB100)}${R}`],
    ['`#011` repeated after `key`', `key${'#011'.repeat(times('#011'))}`, `key${'#011'.repeat(times('#011'))}`],
    // A command's first word again and again, its secret word only at the end.
    ['`radius-server ` repeated, then `key 7 X`', `${'radius-server '.repeat(times('radius-server '))}key 7 RadRep1`, `${'radius-server '.repeat(times('radius-server '))}key 7 ${R}`],
    ['`radius-server` and 100 KB of spaces', `radius-server${' '.repeat(KB100)}x`, `radius-server${' '.repeat(KB100)}x`],
    ['`ldapsearch -x ` repeated, then `-w X`', `${'ldapsearch -x '.repeat(times('ldapsearch -x '))}-w LdapRep1`, `${'ldapsearch -x '.repeat(times('ldapsearch -x '))}-w ${R}`],
    ['`snmp-server host ADDR version 3 ` repeated', 'snmp-server host 192.0.2.1 version 3 '.repeat(times('snmp-server host 192.0.2.1 version 3 ')), 'snmp-server host 192.0.2.1 version 3 '.repeat(times('snmp-server host 192.0.2.1 version 3 '))],
    ['`cfgattr="password[` repeated, never closed', 'cfgattr="' + 'password['.repeat(times('password[')), 'cfgattr="' + 'password['.repeat(times('password['))],
    ['`ssh-rsa ` repeated', 'ssh-rsa '.repeat(times('ssh-rsa ')), 'ssh-rsa '.repeat(times('ssh-rsa '))],
  ])('%s', (_, line, expected) => {
    const out = redactSecrets(line);
    // Compared by length and a digest of differences, so a failure does not print 100 KB.
    expect(out.length).toBe(expected.length);
    let first = -1;
    for (let i = 0; i < out.length && first < 0; i++) if (out[i] !== expected[i]) first = i;
    expect(first === -1 ? 'equal' : `differs at ${first}: ${JSON.stringify(out.slice(Math.max(0, first - 40), first + 40))}`).toBe('equal');
  });
});
