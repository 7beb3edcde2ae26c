// A form runs only on a line holding one of its hints (parsers/lib/secrets/grammar.ts), so a hint a
// match can lack makes the form skip a line it matches: a leak. `system user` was such a hint for
// Citrix ADC's `add system user NAME X`: the form reads any separator between the words (a tab,
// ISE's ` CmdArgAV=`), the hint only a space. Each form's hints are checked against its pattern
// (test/support/required-words.ts: the words every match holds), and the lines such hints leaked.

import { describe, expect, it } from 'vitest';
import { REDACTED, redactSecrets } from '../../parsers/lib/secrets.js';
import { compile, form, needing, redactWith, rx, S } from '../../parsers/lib/secrets/grammar.js';
import { grammars } from '../../parsers/secrets.js';
import { holds, markedWords, withoutWidthless, requiredWords } from '../support/required-words.js';

const words = (source: string, flags = ''): string[][] => requiredWords(new RegExp(source, flags)).map((c) => [...c]);

describe('requiredWords', () => {
  it.each([
    ['password', '', [['password']]],
    // As the match has them without `i` (case and all), lowered with it.
    ['PassWord', '', [['PassWord']]],
    ['PassWord', 'i', [['password']]],
    ['\\bopenssl\\s+passwd\\s', '', [['openssl'], ['passwd']]],
    ['(?:pwd|passwd|password)=(?<v>\\S+)', '', [['passwd=', 'password=', 'pwd=']]],
    ['key(?:-string)?\\s', '', [['key', 'key-string']]],
    ['[Kk]ey-[Ss]tring', '', [['Key-String', 'Key-string', 'key-String', 'key-string']]],
    ['user[ \\t]+name', '', [['user\t', 'user '], ['\tname', ' name']]],
    // A word inside a look-ahead or look-behind that must hold is on the line; one that must not, is not needed.
    ['(?<=secret\\s)\\S+(?=\\s+end)', '', [['secret'], ['end']]],
    ['(?<!no\\s)key\\s+(?!none)\\S+', '', [['key']]],
    // The last repeat stands before what follows it.
    ['(?:ab)+cd', '', [['abcd']]],
    ['(?:ab){2}cd', '', [['ababcd']]],
    ['x(?:ab)?cd', '', [['xabcd', 'xcd']]],
    ['a.b', '', [['a'], ['b']]],
    ['(\\w+)\\s\\1', '', []],
    // Past ASCII, or a class too wide to list: nothing is read as needed.
    ['clé\\s', '', [['cl']]],
    ['[^\\s]+pass', 'i', [['pass']]],
    // Under `i` with `u`, `ſ` matches `s` and the Kelvin sign `k`: neither letter is read.
    ['passkey', 'iu', [['pa'], ['ey']]],
  ])('/%s/%s', (source, flags, expected) => {
    const got = words(source, flags);
    for (const clause of expected) expect(got).toContainEqual([...clause].sort());
    if (expected.length === 0) expect(got).toEqual([]);
  });
});

describe('a word-start or word-end hint (\\bnet, des\\b)', () => {
  /** Whether some clause every match satisfies holds `hint` in each of its words. */
  const sound = (source: string, hint: string, flags = ''): boolean =>
    markedWords(new RegExp(source, flags)).some((c) => c.every((w) => holds(w, hint)));
  it.each([
    // The word start is read from `\b`, `^`, a look-behind no word character passes, or a separator class.
    ['\\bnet\\s+user', '\\bnet', 'i'],
    ['^net user', '\\bnet', ''],
    ['(?<![\\w-])(?:-u|--user)\\s', '\\b-u', ''],
    ['(?<![\\w.-])(?:mc|mcli)\\s', '\\bmc', ''],
    ['(?<!\\w)exp\\s', '\\bexp', ''],
    ['login\\s=\\sdes\\s', '\\bdes', ''],
    ['login[\\s=]des', '\\bdes', ''],
    ['login[ \\t]des', '\\bdes', ''],
    ['x(?<![^\\s+]):psk', '\\b:psk', ''],
  ])('/%s/%s holds %s', (source, hint, flags) => {
    expect(sound(source, hint, flags)).toBe(true);
    // The same word as a plain hint is held as before.
    expect(sound(source, hint.slice(2), flags)).toBe(true);
  });
  it.each([
    // A pattern that can read the word inside another: the word-start hint would skip its lines.
    ['net\\s+user', '\\bnet'],
    ['(?:-u|--user)\\s', '\\b-u'],
    // `\b` before a non-word character says a word character precedes it.
    ['\\b-u\\s', '\\b-u'],
    // A separator that may end in a digit (`#011`) or a word character.
    ['login(?:\\s|#011)des', '\\bdes'],
    ['login[\\s\\d]des', '\\bdes'],
    ['(?<![\\s-])net', '\\bnet'],
    ['(?:\\bnet|xnet)', '\\bnet'],
  ])('/%s/ does not hold %s', (source, hint) => {
    expect(sound(source, hint)).toBe(false);
  });
  it.each([
    // A hint ending `\\b` (`\\bnet\\b`) also needs no word character after it: ISE's `NetworkDeviceName`.
    ['\\bnet\\s+user', true],
    ['\\bnet(?:\\.exe)?[\\s=]user', true],
    ['\\bnet\\b', true],
    ['\\bnet', false],
    ['\\bnet1?\\s', false],
    ['\\bnet\\w*\\s', false],
  ])('/%s/ holds \\bnet\\b: %s', (source, held) => {
    expect(sound(source, '\\bnet\\b')).toBe(held);
  });
  it.each([
    // A hint ending `\\b` alone (`des\\b`) needs no word character after it, whatever stands before.
    ['login\\s=\\sdes\\s', true],
    ['login(?:\\s|#011)des(?:[^\\S\\n]|#011)+x', true],
    ['login[\\s=]des\\b', true],
    ['(?:des|3des)[\\s=]', true],
    ['3des\\s', true],
    // Followed by a word character, or perhaps: `des` is then the start of a longer word.
    ['login\\s=\\sdes\\w*\\s', false],
    ['(?:des|destination)\\s', false],
    ['des[\\s\\d]', false],
    ['des(?:\\s|x)', false],
    ['des', false],
  ])('/%s/ holds des\\b: %s', (source, held) => {
    expect(sound(source, 'des\\b')).toBe(held);
    // Every one holds the plain hint.
    expect(sound(source, 'des')).toBe(true);
  });
  it('fails the forms\' check: a form hinted `des\\b` whose pattern can read a word character after `des`', () => {
    const f = form('des\\b', rx()`login${S}=${S}des\w*${S}(?<v>\S+)`);
    expect(markedWords(f.pattern).some((c) => c.every((w) => f.hints.some((h) => holds(w, h))))).toBe(false);
    const g = form('des\\b', rx()`login${S}=${S}des${S}(?<v>\S+)`);
    expect(markedWords(g.pattern).some((c) => c.every((w) => g.hints.some((h) => holds(w, h))))).toBe(true);
  });
  it('fails the forms\' check: a form hinted `\\bnet` whose pattern reads `net` mid-word', () => {
    const f = form('\\bnet', rx('i')`net${S}user${S}(?<v>\S+)`);
    const clauses = markedWords(f.pattern);
    expect(clauses.some((c) => c.every((w) => f.hints.some((h) => holds(w, h))))).toBe(false);
    const g = form('\\bnet', rx('i')`\bnet${S}user${S}(?<v>\S+)`);
    expect(markedWords(g.pattern).some((c) => c.every((w) => g.hints.some((h) => holds(w, h))))).toBe(true);
  });
});

/**
 * Forms whose hints are not all words every match holds, by their hints. `context`: on purpose or
 * safe though not shown here — the hint is a word the line holds around what the pattern reads
 * (FortiOS `set password ENC X` read from `ENC`), or the hints list every way the pattern's word
 * can end, which this reading cannot join (`http` and each character after it). No form's hint may
 * be one a match can lack (a leak: the twelve such, `net user` against `net\tuser`, were fixed).
 */
const KNOWN: Readonly<Record<string, 'context'>> = {
  '["snmp"]': 'context',
  '["pass","key","secret","psk","pwd"]': 'context',
  '["?key=","&key=","api_key=","apikey=","token=","secret=","secret_id=","sig=","signature=","pwd=","pass="]': 'context',
  '[".key="]': 'context',
  '["msg=audit"]': 'context',
  '["cfgattr"]': 'context',
  '["\\"program\\":\\"useradd\\"","\\"program\\":\\"usermod\\"","/useradd\\"","/usermod\\""]': 'context',
  [JSON.stringify(['http.exe', ...[' ', '"', "'", '#', ...Array.from({ length: 32 }, (_, i) => String.fromCharCode(i))].map((c) => 'http' + c), 'https.exe', ...[' ', '"', "'", '#', ...Array.from({ length: 32 }, (_, i) => String.fromCharCode(i))].map((c) => 'https' + c), 'httpie'])]: 'context',
};

describe('every form\'s hints', () => {
  it('are words every match of its pattern holds (case aside), or are known', () => {
    const wrong: string[] = [];
    for (const g of grammars) {
      for (const f of g) {
        const clauses = markedWords(f.pattern);
        const implied = clauses.some((c) => c.every((w) => f.hints.some((h) => holds(w, h))));
        if (!implied && !(JSON.stringify(f.hints) in KNOWN)) wrong.push(`${JSON.stringify(f.hints)}: the pattern needs ${JSON.stringify(clauses.slice(0, 4))}`);
        // A further word a form needs must be one every match holds as well.
        for (const need of f.needs ?? []) {
          if (!clauses.some((c) => c.every((w) => need.some((n) => withoutWidthless(w).includes(n))))) wrong.push(`${JSON.stringify(f.hints)} needs ${JSON.stringify(need)}: the pattern needs ${JSON.stringify(clauses.slice(0, 4))}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe('lines a hint spanning a separator leaked (hints now words of the pattern)', () => {
  it.each([
    'CmdAV=add CmdArgAV=system CmdArgAV=user CmdArgAV=bob CmdArgAV=Zq7Secret',
    'add system\tuser bob Zq7Secret',
    'config  radius auth add 1 10.0.0.1 1812 ascii Zq7Secret',
    'CmdAV=config CmdArgAV=radius CmdArgAV=auth CmdArgAV=add CmdArgAV=1 CmdArgAV=10.0.0.1 CmdArgAV=1812 CmdArgAV=ascii CmdArgAV=Zq7Secret',
    'config\tmgmtuser add bob Zq7Secret read-write',
    'config  snmp community ipaddr 10.0.0.1 255.255.255.0 Zq7Secret',
    'create  account admin bob Zq7Secret',
    'add\tcommunity Zq7Secret readonly',
    'cable shared-secondary-secret index 1 Zq7Secret',
    'GENERATED  ROOT  PASSWORD: Zq7Secret',
    'temporary\tpassword is generated for root@localhost: Zq7Secret',
    'gh secret\tset TOKEN --body Zq7Secret',
    'aws ssm secret\tset --value Zq7Secret',
    'net\trpc user -U bob%Zq7Secret',
    'sc.exe config svc password=\tZq7Secret',
    'runas /pass\tZq7Secret',
  ])('%j', (line) => {
    expect(redactSecrets(line)).toBe(line.replace('Zq7Secret', REDACTED));
  });
});

// Each leaked at 87ba6fd (a hint the line lacked, and no other form reading it).
describe('lines a hint a match could lack leaked (hints now words of the pattern, common ones with a needed word)', () => {
  it.each([
    // Windows 4688 / Sysmon command lines, ISE's per-argument attributes.
    'Process Command Line:\tnet\tuser bob Zq7Secret /add',
    'CommandLine: net  user /add bob Zq7Secret',
    'CmdAV=net CmdArgAV=user CmdArgAV=bob Zq7Secret',
    'CommandLine: net\tuse \\\\fs01\\share Zq7Secret',
    'CommandLine: NET  USE \\\\fs01\\share /user:CORP\\bob Zq7Secret',
    'CmdAV=net CmdArgAV=use CmdArgAV=\\\\fs01\\share CmdArgAV=/user:CORP\\bob Zq7Secret',
    // tac_plus configuration with two spaces around `=`.
    'login =  des Zq7Secret',
    // strongSwan ipsec.secrets.
    '10.0.0.1 10.0.0.2 :\tPSK "Zq7Secret"',
    'carol :  EAP "Zq7Secret"',
    // Oracle's tools with a tab or two spaces.
    'exp\tsystem/Zq7Secret file=full.dmp',
    'imp\tscott/Zq7Secret@ORCL full=y',
    // `-u USER … -p X` with a syslog-escaped tab, a control byte, auditd's arguments.
    'myclient -u#011bob -p Zq7Secret',
    'myclient -u\x01bob -p Zq7Secret',
    'type=EXECVE argc=5 a0="myclient" a1="-u" a2="bob" a3="-p" a4="Zq7Secret"',
    // GitLab's Rails parameters with spaces around the colon.
    '{"key" : "DB_PASSWORD", "value" : "Zq7Secret"}',
    // A header quoted with single quotes, a dotted `Passphrase=`.
    "{'x-access-token': 'Zq7Secret'}",
    "headers: {'X-Access-Token' : 'Zq7Secret'}",
    'cfg.Passphrase=Zq7Secret',
  ])('%j', (line) => {
    expect(redactSecrets(line)).toBe(line.replace('Zq7Secret', REDACTED));
  });
});

describe('a form with needed words', () => {
  const f = needing(form('net', rx('i')`\bnet${S}user${S}\S+${S}(?<vw>\S+)`), ['user']);
  const m = compile([[f]]);
  it('runs on a line holding a hint and one of each needed word, in any case', () => {
    expect(redactWith(m, 'NET\tUSER bob Zq7Secret')).toBe('NET\tUSER bob <redacted>');
  });
  it('is skipped on a line holding the hint without the needed word', () => {
    // The pattern would read this line (`usr` is no `user`): only the needed word keeps it from running.
    const loose = needing(form('net', rx('i')`\bnet${S}\S+${S}\S+${S}(?<vw>\S+)`), ['user']);
    expect(redactWith(compile([[loose]]), 'net view bob Zq7Secret')).toBe('net view bob Zq7Secret');
    expect(redactWith(compile([[loose]]), 'net user bob Zq7Secret')).toBe('net user bob <redacted>');
  });
  it('are words', () => {
    expect(() => needing(f, [''])).toThrow();
    expect(() => needing(f)).toThrow();
  });
});
