// The Oxidized recordings that come with a `#secret.yaml` (test/corpus/ssh-sessions/): Oxidized's
// own test of its redaction, `fail` the strings it removes and `pass` lines as it leaves them.
// Against the same configuration, aaawatch removes every string Oxidized removes, leaves every
// line Oxidized leaves in the form Oxidized leaves it (quotes aside: aaawatch keeps the quotes
// around a value), and removes nothing else, except the values listed below that Oxidized's model
// misses or that its secret.yaml does not list, each with the reason.

import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { platformById } from '../../parsers/index.js';
import { redactSecrets } from '../../parsers/lib/secrets.js';
import { corpusPath } from '../support/corpus.js';
import { MODEL_PLATFORM } from '../support/emulator/targets.js';
import { CORPUS_SECRETS } from './corpus-secrets.js';

/** Values aaawatch removes that no `fail` string or `pass` line of the recording accounts for. */
const BEYOND_OXIDIZED: Record<string, Array<[line: number, reason: string]>> = {
  'aoscx#R0X25A-6410_FL.10.10.1100': [
    [278, "a user's password ciphertext: Oxidized's aoscx.rb removes only SNMP communities and RADIUS/TACACS+ keys"],
    [279, "a user's password ciphertext: Oxidized's aoscx.rb removes only SNMP communities and RADIUS/TACACS+ keys"],
  ],
  'junos#srx300_22.4': [
    [25, "root's encrypted-password: Oxidized's junos.rb removes it too (with the rest of the line), its secret.yaml does not list it"],
    [32, "a user's encrypted-password: as above"],
  ],
};

const DIR = corpusPath('ssh-sessions');
const recordings = readdirSync(DIR)
  .filter((f) => f.endsWith('#secret.yaml'))
  .map((f) => f.replace(/#secret\.yaml$/, ''))
  .sort();

/** Oxidized's markers, as aaawatch writes a removed value (quotes around it kept). */
function ours(pattern: string): RegExp {
  return new RegExp(pattern.replace(/<secret hidden>|<secret removed>|<configuration removed>/g, '(?:<redacted>|"<redacted>"|\'<redacted>\')'), 'm');
}

function kept(id: string, text: string): string {
  const platform = platformById(MODEL_PLATFORM[id.split('#')[0]!] ?? '');
  return platform?.redact ? redactSecrets(platform.redact(text)) : redactSecrets(text);
}

describe("the Oxidized recordings' #secret.yaml", () => {
  it('are all here', () => {
    expect(recordings.length).toBe(11);
    for (const id of Object.keys(BEYOND_OXIDIZED)) expect(recordings).toContain(id);
  });

  it.each(recordings)('%s', (id) => {
    const text = readFileSync(corpusPath('ssh-sessions', `${id}#output.txt`), 'utf8');
    const spec = parse(readFileSync(corpusPath('ssh-sessions', `${id}#secret.yaml`), 'utf8')) as { fail?: string[]; pass?: string[] };
    const out = kept(id, text);
    for (const s of spec.fail ?? []) expect(out, `Oxidized removes ${s}`).not.toContain(s);
    const pass = (spec.pass ?? []).map(ours);
    for (const re of pass) expect(out).toMatch(re);

    // Every value aaawatch removes (the precision test shows these are all it removes) is one
    // Oxidized removes, on a line Oxidized rewrites, or listed above.
    const lines = text.split('\n');
    const beyond = new Map(BEYOND_OXIDIZED[id] ?? []);
    const values = CORPUS_SECRETS[`ssh-sessions/${id}#output.txt`] ?? [];
    expect(values.length).toBeGreaterThan(0);
    for (const [line, value] of values) {
      const textOf = typeof value === 'string' ? value : (new RegExp(value.source).exec(text.slice(text.split('\n').slice(0, line - 1).join('\n').length))?.[0] ?? '');
      const byFail = (spec.fail ?? []).some((s) => textOf.includes(s) || s.includes(textOf));
      const rewritten = lines[line - 1]!;
      const byPass = pass.some((re) => re.test(rewritten.replace(textOf, '<redacted>')));
      expect(byFail || byPass || beyond.has(line), `line ${line} (${rewritten.trim()}): removed by aaawatch, not by Oxidized`).toBe(true);
      if (beyond.has(line)) expect(byFail || byPass, `line ${line} is listed as beyond Oxidized but Oxidized accounts for it`).toBe(false);
    }
  });
});
