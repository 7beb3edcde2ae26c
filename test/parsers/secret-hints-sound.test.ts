// A form runs only on a line holding one of its hints (parsers/lib/secrets/grammar.ts), so a hint a
// match can lack makes the form skip a line it matches: a leak. `system user` was such a hint for
// Citrix ADC's `add system user NAME X`: the form reads any separator between the words (a tab,
// ISE's ` CmdArgAV=`), the hint only a space. Each form's hints are checked against its pattern
// (test/support/required-words.ts: the words every match holds), and the lines such hints leaked.

import { describe, expect, it } from 'vitest';
import { REDACTED, redactSecrets } from '../../parsers/lib/secrets.js';
import { grammars } from '../../parsers/secrets.js';
import { requiredWords } from '../support/required-words.js';

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

/**
 * Forms whose hints are not all words every match holds, by their hints. `context`: on purpose or
 * safe though not shown here — the hint is a word the line holds around what the pattern reads
 * (FortiOS `set password ENC X` read from `ENC`), or the hints list every way the pattern's word
 * can end, which this reading cannot join (`http` and each character after it). `leak`: a hint a
 * match can lack — most span a separator the pattern reads more widely (`net user` against
 * `net\tuser`, tac_plus's `login = des X` with two spaces, strongSwan's `: PSK` with a tab) — each
 * a secret kept on such a line; left for the secret grammar's owners (2026-12-04), listed so that
 * no new form adds another.
 */
const KNOWN: Readonly<Record<string, 'context' | 'leak'>> = {
  '["snmp"]': 'context',
  '["pass","key","secret","psk","pwd"]': 'context',
  '["?key=","&key=","api_key=","apikey=","token=","secret","sig=","signature=","pwd=","pass="]': 'context',
  '[".key="]': 'context',
  '["msg=audit"]': 'context',
  '["cfgattr"]': 'context',
  '["\\"program\\":\\"useradd\\"","\\"program\\":\\"usermod\\"","/useradd\\"","/usermod\\""]': 'context',
  [JSON.stringify(['http.exe', ...[' ', '"', "'", '#', ...Array.from({ length: 32 }, (_, i) => String.fromCharCode(i))].map((c) => 'http' + c), 'https.exe', ...[' ', '"', "'", '#', ...Array.from({ length: 32 }, (_, i) => String.fromCharCode(i))].map((c) => 'https' + c), 'httpie'])]: 'context',
  '[": psk",": xauth",": eap",": ntlm",": pin"]': 'leak',
  '["password"]': 'leak',
  '["api-key","auth-token","private-token","apikey"]': 'leak',
  '["psk"]': 'leak',
  '["password","passwd","passphrase","sshpass","secret","_key","_token","_pwd","_pass","_authtok","_auth="]': 'leak',
  '["pwd","pass","secret","psk","crypt","sha512","key","prv"]': 'leak',
  '["-u ","--user","-u\\t"]': 'leak',
  '["sqlplus","sqlldr","expdp","impdp","rman","dgmgrl","exp ","imp "]': 'leak',
  '["\\"key\\":\\""]': 'leak',
  '["= des","= clear","= crypt","= mavis"]': 'leak',
  '["net user","net1 user","net use","net1 use","net.exe","net1.exe"]': 'leak',
  '["net use","net1 use","net.exe","net1.exe"]': 'leak',
};

describe('every form\'s hints', () => {
  it('are words every match of its pattern holds (case aside), or are known', () => {
    const wrong: string[] = [];
    for (const g of grammars) {
      for (const f of g) {
        const clauses = requiredWords(f.pattern);
        const implied = clauses.some((c) => c.every((w) => f.hints.some((h) => w.toLowerCase().includes(h))));
        if (!implied && !(JSON.stringify(f.hints) in KNOWN)) wrong.push(`${JSON.stringify(f.hints)}: the pattern needs ${JSON.stringify(clauses.slice(0, 4))}`);
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
