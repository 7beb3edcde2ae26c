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

function isGrammar(value: unknown): value is SecretGrammar {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((f) => typeof f === 'object' && f !== null && Array.isArray((f as { hints?: unknown }).hints) && (f as { pattern?: unknown }).pattern instanceof RegExp)
  );
}

async function discover(): Promise<Record<string, SecretGrammar>> {
  const found = platformFolders().flatMap((f) => {
    const file = moduleIn(f.dir, 'secrets');
    return file ? [{ name: f.name, file }] : [];
  });
  // A URL, not a `./${name}/…` template: bundlers and vitest rewrite templated imports into a fixed list.
  const modules = await Promise.all(found.map((f) => import(pathToFileURL(f.file).href) as Promise<Record<string, unknown>>));
  const out: Record<string, SecretGrammar> = {};
  found.forEach(({ name }, i) => {
    const exported = Object.values(modules[i]!).filter(isGrammar);
    if (exported.length !== 1) throw new Error(`parsers/${name}/secrets: must export exactly one secret grammar (found ${exported.length})`);
    out[name] = exported[0]!;
  });
  return out;
}

/** Each platform's grammar by platform id. */
export const platformGrammars: Readonly<Record<string, SecretGrammar>> = await discover();

export const grammars: readonly SecretGrammar[] = [genericSecrets, ...Object.values(platformGrammars)];
