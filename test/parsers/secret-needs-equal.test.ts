// A form's `needs` (grammar.ts) only skips running it on a line it cannot match: the gate's output
// must be the same, byte for byte, as with every form run on each line holding one of its hints.
// secret-hints-sound.test.ts proves each need is a word every match holds; this compares the two
// selections on what aaawatch reads: every line of the real corpus (test/corpus), every entry of the
// secret corpus (a line, and a configuration whole and line by line), and both bench:ingest
// profiles' generated lines (aaa-only and mixed-random, the seeds the benches quote).

import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { grammars } from '../../parsers/secrets.js';
import { compile, form, needing, redactWith, rx, type SecretForm, type SecretGrammar } from '../../parsers/lib/secrets/grammar.js';
import { writeProfile } from '../bench/profiles.js';
import { CORPUS } from '../support/corpus.js';
import { loadSecretCorpus } from '../support/secret-corpus.js';

/** The same forms with no `needs`: each runs wherever one of its hints is. */
const withoutNeeds = (g: SecretGrammar): SecretGrammar => g.map(({ needs: _, ...f }): SecretForm => f);
const declared = compile(grammars);
const everyForm = compile(grammars.map(withoutNeeds));

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

/** The texts whose outputs differ between the two selections (at most a few, to read). */
function differing(texts: Iterable<string>): { texts: number; differ: string[] } {
  let n = 0;
  const differ: string[] = [];
  for (const t of texts) {
    n++;
    if (redactWith(declared, t) !== redactWith(everyForm, t) && differ.length < 5) differ.push(t.slice(0, 300));
  }
  return { texts: n, differ };
}

describe('forms with needs', () => {
  it('some forms declare needs (else this test compares one selection with itself)', () => {
    const skipping = declared.forms.filter((f) => f.holds !== undefined).length;
    expect(skipping).toBeGreaterThan(20);
    expect(everyForm.forms.every((f) => f.holds === undefined)).toBe(true);
  });

  it('give the output of every form run, on every line of the real corpus', () => {
    const lines = files(CORPUS).flatMap((f) => readFileSync(f, 'latin1').split('\n'));
    const { texts, differ } = differing(lines);
    expect(texts).toBeGreaterThan(20_000);
    expect(differ).toEqual([]);
  });

  it('give the output of every form run, on the secret corpus (whole texts and their lines)', () => {
    const entries = loadSecretCorpus();
    const { texts, differ } = differing(entries.flatMap((e) => [e.text, ...e.text.split('\n')]));
    expect(texts).toBeGreaterThan(entries.length);
    // The corpus holds secrets the skipped forms find: the comparison sees forms that match.
    expect(entries.filter((e) => redactWith(declared, e.text) !== e.text).length).toBeGreaterThan(100);
    expect(differ).toEqual([]);
  });

  it('give the output of every form run, on both bench:ingest profiles\' lines', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aaawatch-needs-'));
    try {
      writeProfile(join(dir, 'aaa'), 'aaa-only', 30_000, 1, CORPUS);
      writeProfile(join(dir, 'mixed'), 'mixed-random', 30_000, 750015678, CORPUS);
      for (const name of ['aaa', 'mixed']) {
        const { texts, differ } = differing(readFileSync(join(dir, name), 'utf8').split('\n'));
        expect(texts).toBeGreaterThan(30_000);
        expect(differ).toEqual([]);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('punctuation a pattern requires, as a need', () => {
  /** How many forms run on `line`: those one of whose hints it holds, and whose needs it holds. */
  const formsRun = (line: string): number => {
    const present = declared.scan(line) ?? [];
    const run = new Set(present.flatMap((h) => declared.formsOf[h]!));
    return [...run].filter((k) => declared.forms[k]!.holds?.(line) ?? true).length;
  };

  it('skips, on a Linux `passwd` line, the forms that need `=`, `-`, a quote, `\\"`, `,`, `</` or `/d` it lacks (12 ran before)', () => {
    const line = '<85>Dec  5 06:35:32 host12 passwd[12345]: pam_unix(passwd:chauthtok): password changed for admin';
    expect(formsRun(line)).toBeLessThanOrEqual(3);
    // With the punctuation, the same forms run again.
    expect(formsRun(`${line} -a "x=1,\\"y\\" </z> /d`)).toBeGreaterThanOrEqual(10);
  });

  it('reads a need of punctuation alike in any case, under a form\'s `i` (the `\\"` JSON form)', () => {
    const f = needing(form('pass', rx('i')`\\"[\w.-]*password\\"\s*:\s*\\"(?<ve>)`), ['\\"']);
    const m = compile([[f]]);
    expect(redactWith(m, 'msg="{\\"dbPASSWORD\\":\\"Zq7\\"}"')).toBe('msg="{\\"dbPASSWORD\\":\\"<redacted>\\"}"');
    expect(redactWith(m, 'dbPASSWORD: Zq7')).toBe('dbPASSWORD: Zq7');
  });
});
