// Lines built to make a redaction engine read them again and again (issue 11): runs of `\"`, of
// `\\`, of `"password":"` repeated, long runs of spaces, tabs or NUL bytes between a keyword and
// its value, thousands of values on one line, a command's first word repeated with its secret word
// never coming. Each with the text the gate must make of it. Shared by the engine's test
// (test/parsers/secret-hostile-lines.test.ts) and serve's (test/secrets-hostile-serve.test.ts).

import { REDACTED as R } from '../../parsers/lib/secrets.js';

/** A hostile line: what it is, the line, what the gate makes of it, and the secret values in it. */
export interface HostileLine {
  name: string;
  line: string;
  expected: string;
  secrets: readonly string[];
}

/** The hostile lines, each about `size` characters long (100 KB by default). */
export function hostileLines(size = 100_000): HostileLine[] {
  /** `unit` repeated to about `size` characters. */
  const times = (unit: string): number => Math.ceil(size / unit.length);
  const cableRepeats = (n: number): string => {
    const unit = 'cable shared-secondary-secret index 1 ';
    return Array.from({ length: n }, (_, i) => (i % 2 === 1 ? unit.replace('cable', R) : i === n - 1 ? unit.replace('index', R) : unit)).join('');
  };
  const rows: Array<[string, string, string, string[]?]> = [
    // The three the issue names.
    ['100 KB of `\\"` as a JSON password', `{"password":"${'\\"'.repeat(times('\\"'))}"}`, `{"password":"${R}"}`],
    ['100 KB of `\\"` after a keyword in a JSON string (empty quoted values)', `{"message":"password ${'\\"'.repeat(times('\\"'))}"}`, `{"message":"password ${'\\"'.repeat(times('\\"'))}"}`],
    ['100 KB of `\\\\` as a bare value in a JSON string', `{"message":"password ${'\\\\'.repeat(times('\\\\'))}"}`, `{"message":"password ${R}"}`],
    ['100 KB of `\\\\` inside a quoted value', `password "${'\\\\'.repeat(times('\\\\'))}" end`, `password "${R}" end`],
    ['100 KB of `\\\\\\"` inside a `\\"…\\"` value', `{"message":"password \\"${'\\\\\\"'.repeat(times('\\\\\\"'))}\\" end"}`, `{"message":"password \\"${R}\\" end"}`],
    // Each value is empty (the next key's quote closes it): nothing to replace.
    ['`"password":"` repeated over 100 KB', '{' + '"password":"'.repeat(times('"password":"')), '{' + '"password":"'.repeat(times('"password":"'))],
    ['`\\"password\\":\\"` repeated over 100 KB', '\\"password\\":\\"'.repeat(times('\\"password\\":\\"')), '\\"password\\":\\"'.repeat(times('\\"password\\":\\"'))],
    ['`"password":"` with values, repeated', '{' + '"password":"Rep3at",'.repeat(times('"password":"Rep3at",')), '{' + `"password":"${R}",`.repeat(times('"password":"Rep3at",')), ['Rep3at']],
    // Thousands of values on one line.
    ['`password x ` repeated', 'password Xx1Val '.repeat(times('password Xx1Val ')), `password ${R} `.repeat(times('password Xx1Val ')), ['Xx1Val']],
    ['`password x; ` repeated', 'password Xx2Val; '.repeat(times('password Xx2Val; ')), `password ${R}; `.repeat(times('password Xx2Val; ')), ['Xx2Val']],
    ['JSON commands holding quotes, repeated', `{"message":"${'username bob password 0 pa\\"ss\\"word '.repeat(Math.ceil(size / 40))}"}`, `{"message":"${`username bob password 0 ${R} `.repeat(Math.ceil(size / 40))}"}`, ['ss\\"word']],
    // Long runs between a keyword and its value.
    ['100 KB of spaces before a command', `logged command:${' '.repeat(size)}key 7 Sp4ceKey`, `logged command:${' '.repeat(size)}key 7 ${R}`, ['Sp4ceKey']],
    ['100 KB of tabs after `key`', `key${'\t'.repeat(size)}`, `key${'\t'.repeat(size)}`],
    ['100 KB of tabs between `password` and its value', `password${'\t'.repeat(size)}T4bPass`, `password${'\t'.repeat(size)}${R}`, ['T4bPass']],
    ['100 KB of NUL bytes between `password` and its value', `password${'\0'.repeat(size)}Nu1Pass`, `password${'\0'.repeat(size)}${R}`, ['Nu1Pass']],
    ['`#011` repeated after `key`', `key${'#011'.repeat(times('#011'))}`, `key${'#011'.repeat(times('#011'))}`],
    // A command's first word again and again, its secret word only at the end.
    ['`radius-server ` repeated, then `key 7 X`', `${'radius-server '.repeat(times('radius-server '))}key 7 RadRep1`, `${'radius-server '.repeat(times('radius-server '))}key 7 ${R}`, ['RadRep1']],
    ['`radius-server` and 100 KB of spaces', `radius-server${' '.repeat(size)}x`, `radius-server${' '.repeat(size)}x`],
    ['`ldapsearch -x ` repeated, then `-w X`', `${'ldapsearch -x '.repeat(times('ldapsearch -x '))}-w LdapRep1`, `${'ldapsearch -x '.repeat(times('ldapsearch -x '))}-w ${R}`, ['LdapRep1']],
    ['`snmp-server host ADDR version 3 ` repeated', 'snmp-server host 192.0.2.1 version 3 '.repeat(times('snmp-server host 192.0.2.1 version 3 ')), 'snmp-server host 192.0.2.1 version 3 '.repeat(times('snmp-server host 192.0.2.1 version 3 '))],
    // Never closed (a message cut at its limit): the value runs to the line's end, and goes.
    ['`cfgattr="password[` repeated, never closed', 'cfgattr="' + 'password['.repeat(times('password[')), `cfgattr="password[${R}`],
    ['`ssh-rsa ` repeated', 'ssh-rsa '.repeat(times('ssh-rsa ')), 'ssh-rsa '.repeat(times('ssh-rsa '))],
    // Long names before a secret word (a second fresh probe's forms, and FreeRADIUS's, read them
    // once: a name matched forward from every word start, or read back from every occurrence, was
    // quadratic: `a-a-…-Password` took 37 s).
    ['`a-` repeated, then `Password = "X"`', `${'a-'.repeat(times('a-'))}Password = "HypRun1"`, `${'a-'.repeat(times('a-'))}Password = "${R}"`, ['HypRun1']],
    ['`a-` repeated, then `://u:X@h`', `${'a-'.repeat(times('a-'))}://u:SchRun1@h`, `${'a-'.repeat(times('a-'))}://u:${R}@h`, ['SchRun1']],
    ['an option name of 100 KB ending in `password`, then its value', ` -${'a'.repeat(size)}password OptRun1`, ` -${'a'.repeat(size)}password ${R}`, ['OptRun1']],
    ['`apassword` repeated', 'apassword'.repeat(times('apassword')), 'apassword'.repeat(times('apassword'))],
    ['`a-password` repeated', 'a-password'.repeat(times('a-password')), 'a-password'.repeat(times('a-password'))],
    ['`a.password` repeated', 'a.password'.repeat(times('a.password')), 'a.password'.repeat(times('a.password'))],
    // Options read two ways (`--a` as an option or as a key) took exponential time; a second option
    // looked for from every first one, quadratic (esxcli's `-p X -c X`: 30 s).
    ['`config set ` then `--a ` repeated', `config set ${'--a '.repeat(times('--a '))}`, `config set ${'--a '.repeat(times('--a '))}`],
    ['`esxcli system account add ` then `-p Esx1Rep ` repeated', `esxcli system account add ${'-p Esx1Rep '.repeat(times('-p Esx1Rep '))}`, `esxcli system account add -p ${R} ${'-p Esx1Rep '.repeat(times('-p Esx1Rep ') - 1)}`],
    // A tool's name read back from an option (secrets7's table: `-p` does not take the next word on
    // mysql's command): read back from every position of the line, or from every option to the
    // line's start, it was quadratic (`-u a ` repeated: 50 s; `--password x ` repeated: 5 s).
    ['`-u a ` repeated', '-u a '.repeat(times('-u a ')), '-u a '.repeat(times('-u a '))],
    ['`--password x ` repeated', '--password PwdRep1 '.repeat(times('--password PwdRep1 ')), `--password ${R} `.repeat(times('--password PwdRep1 ')), ['PwdRep1']],
    ['`mysql -u a -p b ` repeated', 'mysql -u a -p b '.repeat(times('mysql -u a -p b ')), 'mysql -u a -p b '.repeat(times('mysql -u a -p b '))],
    ['`mc alias set a b c X ` repeated', 'mc alias set a b c McRep1 '.repeat(times('mc alias set a b c McRep1 ')), `mc alias set a b c ${R} `.repeat(times('mc alias set a b c McRep1 ')), ['McRep1']],
    // Probe 5's forms (secrets8): a continuation looked for after each `snmp-server user`, a Huawei
    // cipher read to its last `$`, printf's `user:X\n` lines, a here-string into `sudo -S`, a
    // connection string's `;` ends.
    ['`snmp-server user ` repeated', 'snmp-server user '.repeat(times('snmp-server user ')), 'snmp-server user '.repeat(times('snmp-server user '))],
    ['`$1a$x"` repeated', '$1a$x"'.repeat(times('$1a$x"')), `${R}"`.repeat(times('$1a$x"'))],
    ["`printf '` then `a:X\\n` repeated into chpasswd", `printf '${'a:PfRep1\\n'.repeat(times('a:PfRep1\\n'))}' | chpasswd`, `printf '${`a:${R}\\n`.repeat(times('a:PfRep1\\n'))}' | chpasswd`, ['PfRep1']],
    ['`sudo -S ` repeated, then `<<< X`', `${'sudo -S '.repeat(times('sudo -S '))}<<< SudoRep1`, `${'sudo -S '.repeat(times('sudo -S '))}<<< ${R}`, ['SudoRep1']],
    ['`User ID=u;Password=X;` repeated', 'User ID=u;Password=CsRep1;'.repeat(times('User ID=u;Password=CsRep1;')), `User ID=u;Password=${R};`.repeat(times('User ID=u;Password=CsRep1;')), ['CsRep1']],
    // Probe 6's forms (secrets9): a key's name read forward from every word start (`a_…_password`), a
    // swanctl secret's name read back, DOCSIS's `index N` before the value.
    ["`a_` repeated, then ` 'password': u'X'`", `${'a_'.repeat(times('a_'))} 'password': u'PyRep1'`, `${'a_'.repeat(times('a_'))} 'password': u'${R}'`, ['PyRep1']],
    ['`a_password: ` repeated', 'a_password: '.repeat(times('a_password: ')), 'a_password: '.repeat(times('a_password: '))],
    ['`loaded ike secret ` repeated', 'loaded ike secret '.repeat(times('loaded ike secret ')), 'loaded ike secret '.repeat(times('loaded ike secret '))],
    // DOCSIS's form reads the next word as the value, as it does for `cable shared-secret`: each
    // match takes the next repeat's `cable`, and the last repeat, with nothing after it, its `index`.
    // (Unchanged until 2026-12-04, when the form's hint `shared-secret` kept it from running here.)
    ['`cable shared-secondary-secret index 1 ` repeated', 'cable shared-secondary-secret index 1 '.repeat(times('cable shared-secondary-secret index 1 ')), cableRepeats(times('cable shared-secondary-secret index 1 '))],
    // Probe 7's (secrets10): an option repeated on one command (`snmpwalk -A=X -A=Y …`, only the first
    // was hidden), and a key's name longer than four parts of 32 characters (its value was kept).
    ['`snmpwalk ` then `-A=X ` repeated', `snmpwalk ${'-A=SnRep7 '.repeat(times('-A=SnRep7 '))}`, `snmpwalk ${`-A=${R} `.repeat(times('-A=SnRep7 '))}`, ['SnRep7']],
    ['`snmpwalk.exe -A=X ` repeated', 'snmpwalk.exe -A=SnExe7 '.repeat(times('snmpwalk.exe -A=SnExe7 ')), `snmpwalk.exe -A=${R} `.repeat(times('snmpwalk.exe -A=SnExe7 ')), ['SnExe7']],
    ['100 KB of `a`, then `_password: "X"`', `x\n${'a'.repeat(size)}_password: "YamlLong7"`, `x\n${'a'.repeat(size)}_password: "${R}"`, ['YamlLong7']],
    ['`password_` repeated, then `password: "X"`', `x\n${'password_'.repeat(times('password_'))}password: 'YamlMany7'`, `x\n${'password_'.repeat(times('password_'))}password: '${R}'`, ['YamlMany7']],
  ];
  return rows.map(([name, line, expected, secrets]) => ({ name, line, expected, secrets: secrets ?? [] }));
}
