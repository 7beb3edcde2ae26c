// Precision over the real corpus (test/corpus/): every line is kept byte for byte unless it holds
// a secret, and then only the value changes. The lines that hold one and their values are listed
// below, read from the files by eye (not taken from the output): configuration recordings go
// through their platform's redaction and then the gate, as a pull keeps them; recordings of
// platforms not written yet and every log, cloud and envelope line go through the gate alone, as
// ingest keeps them. Binary captures (native/) are not text and hold no clear secret.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { platformById } from '../../parsers/index.js';
import { REDACTED, redactSecrets } from '../../parsers/lib/secrets.js';
import { CORPUS } from '../support/corpus.js';
import { CORPUS_SECRETS as SECRETS } from './corpus-secrets.js';
import { MODEL_PLATFORM } from '../support/emulator/targets.js';

const ROOT = CORPUS;

function* files(dir: string): Generator<string> {
  for (const f of readdirSync(dir).sort()) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) yield* files(p);
    else yield p;
  }
}

/** Text files of the corpus: not the binary captures, not the recordings' YAML (their outputs are read), not the README. */
const corpusFiles = [...files(ROOT)].map((p) => relative(ROOT, p)).filter((f) => !f.startsWith('native/') && !/\.(?:ya?ml|md)$/.test(f));

/**
 * The text as aaawatch keeps it: a configuration as a pull does (its platform's redaction, then the
 * gate; the gate alone for a platform not written yet), anything else line by line as ingest does.
 */
function kept(file: string, text: string): string {
  const model = /^ssh-sessions\/([^#]+)#/.exec(file)?.[1];
  const configuration = model !== undefined || file.startsWith('configs/');
  // A configuration under configs/<platform>/ is redacted by that platform, as a pull would.
  const platform = model ? platformById(MODEL_PLATFORM[model] ?? '') : platformById(/^configs\/([^/]+)\//.exec(file)?.[1] ?? '');
  if (!configuration) return text.split('\n').map(redactSecrets).join('\n');
  return redactSecrets(platform?.redact ? platform.redact(text) : text);
}

/** The text with each listed value (searched from its line on, in order) replaced by the marker. */
function expected(text: string, values: ReadonlyArray<readonly [number, string | RegExp]>): string {
  const lineStart = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStart.push(i + 1);
  let out = '';
  let at = 0;
  for (const [line, value] of values) {
    const from = Math.max(at, lineStart[line - 1]!);
    let start: number;
    let end: number;
    if (typeof value === 'string') {
      start = text.indexOf(value, from);
      end = start + value.length;
    } else {
      const re = new RegExp(value.source, 'g');
      re.lastIndex = from;
      const m = re.exec(text);
      start = m ? m.index : -1;
      end = m ? start + m[0].length : -1;
    }
    const next = lineStart[line] ?? text.length + 1;
    if (start < 0 || start >= next) throw new Error(`value ${String(value)} does not start on line ${line}`);
    out += text.slice(at, start) + REDACTED;
    at = end;
  }
  return out + text.slice(at);
}

describe('precision over the real corpus', () => {
  it('lists only files of the corpus', () => {
    for (const f of Object.keys(SECRETS)) expect(corpusFiles).toContain(f);
    expect(corpusFiles.length).toBeGreaterThan(100);
  });

  it.each(corpusFiles)('%s: kept byte for byte except the listed values', (file) => {
    const text = readFileSync(join(ROOT, file), 'utf8');
    expect(kept(file, text)).toBe(expected(text, SECRETS[file] ?? []));
  });
});
