// Every secret grammar aaawatch knows, found by looking, as the platforms are (parsers/index.ts):
// a platform folder's secrets module, when it has one, exports exactly one SecretGrammar, the
// platform's whole grammar (its own forms and those it shares from lib/secrets/). Adding a vendor's
// forms is adding parsers/<platform>/secrets.ts; nothing here, in lib/ or in src/ changes. Read once,
// when this module loads (the top-level await: the gate in lib/secrets.ts gets the finished list).
// A platform whose text holds no form of its own (CloudTrail, Entra ID: JSON, which the generic
// grammar reads) has no module.

import { pathToFileURL } from 'node:url';
import { moduleIn, platformFolders } from './folders.js';
import { genericSecrets } from './lib/secrets/generic.js';
import type { SecretGrammar } from './lib/secrets/grammar.js';

/** An array of objects each with `hints` and `pattern`: what a module meant as a grammar. */
function grammarShaped(value: unknown): value is readonly unknown[] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((f) => typeof f === 'object' && f !== null && 'hints' in f && 'pattern' in f)
  );
}

/** What is wrong with a grammar-shaped export (forms made without `form()`), or undefined. */
function formProblem(value: readonly unknown[]): string | undefined {
  for (const [i, f] of value.entries()) {
    const { hints, pattern } = f as { hints: unknown; pattern: unknown };
    if (!(pattern instanceof RegExp)) return `form ${i + 1}: pattern is not a RegExp`;
    if (!pattern.global || !pattern.hasIndices) return `form ${i + 1}: pattern ${pattern} needs flags g and d (make forms with form())`;
    if (!Array.isArray(hints) || hints.length === 0 || hints.some((h) => typeof h !== 'string' || h.length === 0 || h !== h.toLowerCase())) {
      return `form ${i + 1}: hints must be lower-case text`;
    }
  }
  return undefined;
}

/**
 * Each platform folder's grammar, by platform id. A secrets module must export exactly one
 * grammar (other exports, such as the tag names config.ts shares, are allowed); two, none, or one
 * whose forms were not made with `form()` stop aaawatch at start with the file named.
 */
export async function discoverGrammars(root?: string): Promise<Record<string, SecretGrammar>> {
  const found = platformFolders(root).flatMap((f) => {
    const file = moduleIn(f.dir, 'secrets');
    return file ? [{ name: f.name, file }] : [];
  });
  // A URL, not a `./${name}/…` template: bundlers and vitest rewrite templated imports into a fixed list.
  const modules = await Promise.all(found.map((f) => import(pathToFileURL(f.file).href) as Promise<Record<string, unknown>>));
  const out: Record<string, SecretGrammar> = {};
  found.forEach(({ name, file }, i) => {
    const exported = Object.entries(modules[i]!).filter(([, v]) => grammarShaped(v));
    if (exported.length !== 1) {
      const names = exported.length > 0 ? `: ${exported.map(([k]) => k).join(', ')}` : '';
      throw new Error(`${file}: a platform's secrets module must export exactly one secret grammar (an array of forms made with form()); found ${exported.length}${names}`);
    }
    const [exportName, grammar] = exported[0]! as [string, readonly unknown[]];
    const problem = formProblem(grammar);
    if (problem) throw new Error(`${file}: export ${exportName} is no secret grammar: ${problem}`);
    out[name] = grammar as SecretGrammar;
  });
  return out;
}

/** Each platform's grammar by platform id. */
export const platformGrammars: Readonly<Record<string, SecretGrammar>> = await discoverGrammars();

export const grammars: readonly SecretGrammar[] = [genericSecrets, ...Object.values(platformGrammars)];
