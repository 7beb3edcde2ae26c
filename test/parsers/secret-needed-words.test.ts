// The secret gate runs a form only on a text holding one of its hints and, once derived, every
// word its pattern needs (parsers/lib/secrets/required.ts). A needed word that a match can lack
// would make the form skip a line it matches: a leak. So: the reading of patterns on small cases;
// every needed word present on every real line each form matches; and the gate's output with the
// needed words byte for byte the output with the declared hints alone (the selection before them)
// over every corpus and fixture line, whole files, the bench profiles' lines and hostile variants.

import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { grammars } from '../../parsers/secrets.js';
import { compile, neededWords, redactWith } from '../../parsers/lib/secrets/grammar.js';
import { requiredWords } from '../../parsers/lib/secrets/required.js';
import { writeProfile } from '../bench/profiles.js';
import { CORPUS } from '../support/corpus.js';
import { mulberry32 } from '../support/random.js';
import { loadSecretCorpus } from '../support/secret-corpus.js';

const words = (source: string, flags = ''): string[][] => requiredWords(new RegExp(source, flags)).map((c) => [...c]);

describe('requiredWords', () => {
  it.each([
    ['password', '', [['password']]],
    ['PassWord', '', [['password']]],
    ['\\bopenssl\\s+passwd\\s', '', [['openssl'], ['passwd']]],
    ['(?:pwd|passwd|password)=(?<v>\\S+)', '', [['passwd=', 'password=', 'pwd=']]],
    ['key(?:-string)?\\s', '', [['key', 'key-string']]],
    ['[Kk]ey-[Ss]tring', '', [['key-string']]],
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

  it('reads every form of every grammar without an error', () => {
    for (const g of grammars) for (const f of g) expect(() => requiredWords(f.pattern), f.pattern.source.slice(0, 80)).not.toThrow();
  });
});

/** Every file of the real corpus and the secret fixtures, as text. */
function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    const buf = readFileSync(path);
    return buf.includes(0) ? [] : [buf.toString('utf8')];
  });
}

/** Whole texts and their lines: every corpus file, every secret fixture, the bench profiles' lines. */
function texts(): string[] {
  const out: string[] = [];
  for (const text of files(CORPUS)) out.push(text, ...text.split('\n'));
  for (const e of loadSecretCorpus()) out.push(e.text, ...e.text.split('\n'));
  const dir = mkdtempSync(join(tmpdir(), 'aaawatch-needed-'));
  try {
    for (const [profile, seed] of [['aaa-only', 1], ['mixed-random', 750015678], ['mixed-random', 7]] as const) {
      writeProfile(join(dir, 'p'), profile, 10_000, seed, CORPUS);
      out.push(...readFileSync(join(dir, 'p'), 'utf8').split('\n'));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out.filter((t) => t.length > 0);
}

/**
 * The secret fixtures' lines as a sender might garble them: each space as a tab, two spaces, a NUL,
 * rsyslog's `#011`, ISE's `CmdArgAV=` between a command's words; in capitals; and random texts of
 * hints, needed words and separators.
 */
function hostile(): string[] {
  const lines = loadSecretCorpus().flatMap((e) => e.text.split('\n')).filter((l) => l.length > 0);
  const out: string[] = [];
  for (const l of lines) {
    for (const sep of ['\t', '  ', '\x00', '#011', ' CmdArgAV=']) out.push(l.replaceAll(' ', sep));
    out.push(l.toUpperCase());
  }
  const m = compile(grammars, { deriveAfter: 0 });
  const pieces = [...new Set([...m.hints, ...m.forms.flatMap(({ form }) => neededWords(form).flat())])];
  const r = mulberry32(1411);
  const seps = [' ', '\t', '=', ':', '"', ' CmdArgAV=', '#011', ' -', '/'];
  for (let n = 0; n < 30_000; n++) {
    let text = '';
    for (let k = 2 + Math.floor(r() * 8); k > 0; k--) text += (r() < 0.5 ? pieces[Math.floor(r() * pieces.length)]! : 'x' + Math.floor(r() * 99)) + seps[Math.floor(r() * seps.length)]!;
    out.push(text);
  }
  return out;
}

describe('the words each form needs', () => {
  const all = texts();

  it('are on every real line each form matches (a word a match can lack would leak that line)', () => {
    const forms = compile(grammars).forms.map(({ form }) => form);
    let checked = 0;
    for (const text of all) {
      const lower = text.toLowerCase();
      for (const f of forms) {
        const need = neededWords(f);
        if (need.length === 0) continue;
        f.pattern.lastIndex = 0;
        if (!f.pattern.test(text)) continue;
        checked++;
        for (const clause of need) expect(clause.some((w) => lower.includes(w)), `${f.pattern.source.slice(0, 80)} needs one of ${clause.join(', ')}: ${text.slice(0, 200)}`).toBe(true);
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it('leave the gate\'s output byte for byte what the declared hints alone gave, on every corpus, fixture and profile text and hostile variants', () => {
    const before = compile(grammars, { deriveAfter: Infinity });
    const after = compile(grammars, { deriveAfter: 0 });
    let changed = 0;
    let fewer = 0;
    for (const text of [...all, ...hostile()]) {
      const old = redactWith(before, text);
      expect(redactWith(after, text), text.slice(0, 300)).toBe(old);
      if (old !== text) changed++;
      if ((after.select(text)?.length ?? 0) < (before.select(text)?.length ?? 0)) fewer++;
    }
    // The comparison means something: many texts hold secrets, and many run fewer forms.
    expect(changed).toBeGreaterThan(3000);
    expect(fewer).toBeGreaterThan(10_000);
  });

  it('are derived once a matcher has read its first texts, and at once when it is made ready', () => {
    const line = '<86>Dec  4 20:31:04 host1 passwd[4242]: pam_unix(passwd:chauthtok): password changed for bob';
    const late = compile(grammars, { deriveAfter: 3 });
    const first = late.select(line)!;
    for (let n = 1; n < 3; n++) expect(late.select(line)).toEqual(first);
    const later = late.select(line)!;
    expect(later.length).toBeLessThan(first.length);
    expect(first).toEqual(expect.arrayContaining(later));
    const ready = compile(grammars);
    ready.ready();
    expect(ready.select(line)).toEqual(later);
  });
});
