// The secret corpus (test/fixtures/secrets/*.yaml): log lines, configurations and import files
// carrying secrets, written from the vendors' command references, and lines that only look
// secret-ish. The spec of secret removal: each entry's secrets must leave nowhere, its `keep`
// words must survive byte for byte. test/fixtures/secrets/README.md describes the format.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { REPO } from './corpus.js';

export type SecretKind = 'log' | 'config' | 'import';

export interface SecretEntry {
  /** The file's platform id (a folder of parsers/, or `aruba`: no module yet, the generic fallback). */
  platform: string;
  kind: SecretKind;
  /** The vendor document (and command or message) the entry was written from. */
  cite: string;
  /** log: one line as the device sends it; config: configuration text; import: a file's text. */
  text: string;
  /** Every value that must leave no trace; empty for a negative. */
  secrets: string[];
  /** Text that must survive byte for byte (keywords around a value, the words of a negative). */
  keep: string[];
  /** `<file>#<index>`, for messages. */
  id: string;
}

export const SECRET_CORPUS_DIR = join(REPO, 'test', 'fixtures', 'secrets');

interface FileShape {
  platform: string;
  entries: Array<{ kind: SecretKind; cite: string; text: string; secrets?: string[]; keep?: string[] }>;
}

/** Every entry of the corpus, in file order. Throws on a malformed file. */
export function loadSecretCorpus(dir = SECRET_CORPUS_DIR): SecretEntry[] {
  const out: SecretEntry[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
    // failsafe: every scalar a string, so a type-7 value such as 13061E010803557878 is not read as a number.
    const doc = parse(readFileSync(join(dir, file), 'utf8'), { schema: 'failsafe' }) as FileShape;
    if (typeof doc?.platform !== 'string' || !Array.isArray(doc.entries)) throw new Error(`${file}: needs platform and entries`);
    doc.entries.forEach((e, i) => {
      const id = `${file}#${i + 1}`;
      if (!['log', 'config', 'import'].includes(e.kind)) throw new Error(`${id}: kind must be log, config or import`);
      if (typeof e.text !== 'string' || e.text.length === 0) throw new Error(`${id}: text missing`);
      if (typeof e.cite !== 'string' || e.cite.length === 0) throw new Error(`${id}: cite missing`);
      out.push({ platform: doc.platform, kind: e.kind, cite: e.cite, text: e.text, secrets: (e.secrets ?? []).map(String), keep: (e.keep ?? []).map(String), id });
    });
  }
  return out;
}

/** How many lines the corpus holds: one per log line, every non-blank line of a configuration or file. */
export function corpusLineCount(entries: SecretEntry[]): number {
  return entries.reduce((n, e) => n + (e.kind === 'log' ? 1 : e.text.split('\n').filter((l) => l.trim() !== '').length), 0);
}

/** What is wrong with the corpus itself (a secret not in its text, one secret inside another entry's kept words…). */
export function corpusProblems(entries: SecretEntry[]): string[] {
  const problems: string[] = [];
  const owner = new Map<string, string>();
  for (const e of entries) {
    if (e.kind === 'log' && /[\r\n]/.test(e.text)) problems.push(`${e.id}: a log line holds a line break`);
    if (e.secrets.length === 0 && e.keep.length === 0) problems.push(`${e.id}: a negative needs the words that must survive`);
    for (const s of e.secrets) {
      if (s.length < 6) problems.push(`${e.id}: secret ${JSON.stringify(s)} too short to mean anything when absent`);
      if (!e.text.includes(s)) problems.push(`${e.id}: secret ${JSON.stringify(s)} is not in its text`);
      const other = owner.get(s);
      if (other !== undefined && other !== e.id) problems.push(`${e.id}: secret ${JSON.stringify(s)} also in ${other}`);
      owner.set(s, e.id);
    }
    for (const k of e.keep) if (!e.text.includes(k)) problems.push(`${e.id}: kept text ${JSON.stringify(k)} is not in its text`);
  }
  // A secret found in any other entry's text, or inside words that must be kept, could never be
  // shown absent.
  for (const [s, id] of owner) {
    for (const e of entries) {
      if (e.id !== id && e.text.includes(s)) problems.push(`${id}: secret ${JSON.stringify(s)} also occurs in ${e.id}`);
      for (const k of e.keep) if (k.includes(s)) problems.push(`${e.id}: kept text ${JSON.stringify(k)} contains secret ${JSON.stringify(s)}`);
    }
  }
  return problems;
}
