// Secret grammars are found by looking in the platform folders (parsers/secrets.ts): a folder whose
// secrets module exports two grammars, none, or one whose forms were not made with form() stops
// aaawatch at start, with the file named, instead of silently redacting with one of them or none.
// The folders here are real files in a temporary parsers root, imported as aaawatch imports them.

import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverGrammars, platformGrammars } from '../../parsers/secrets.js';
import { platformFolders } from '../../parsers/folders.js';
import { tempDir } from '../support/temp.js';

/** A parsers root with one platform folder `name` holding an index module and this secrets module. */
function root(name: string, secrets: string): { dir: string; file: string } {
  const dir = tempDir('aaawatch-grammars-');
  mkdirSync(join(dir, name));
  writeFileSync(join(dir, name, 'index.js'), 'export const platform = {};\n');
  const file = join(dir, name, 'secrets.js');
  writeFileSync(file, secrets);
  return { dir, file };
}

const FORM = "{ hints: ['frob'], pattern: /frob (?<vw>\\S+)/dg }";

describe('secret grammar discovery', () => {
  it('takes the one grammar a folder exports, beside other exports', async () => {
    const { dir } = root('acme', `export const TAGS = ['x'];\nexport const acmeSecrets = [${FORM}];\n`);
    const found = await discoverGrammars(dir);
    expect(Object.keys(found)).toEqual(['acme']);
    expect(found['acme']![0]!.hints).toEqual(['frob']);
  });

  it.each([
    ['two grammars', `export const a = [${FORM}];\nexport const b = [${FORM}];\n`, /exactly one secret grammar.*found 2: a, b/],
    ['no grammar, only other values', `export const acmeSecrets = 'frob';\nexport const n = 3;\n`, /exactly one secret grammar.*found 0/],
    ['forms made without form(): flags missing', "export const acmeSecrets = [{ hints: ['frob'], pattern: /frob (?<vw>\\S+)/ }];\n", /export acmeSecrets is no secret grammar: form 1: pattern .* needs flags g and d/],
    ['hints in capitals', "export const acmeSecrets = [{ hints: ['Frob'], pattern: /frob (?<vw>\\S+)/dg }];\n", /export acmeSecrets is no secret grammar: form 1: hints must be lower-case text/],
    ['a pattern that is a string', "export const acmeSecrets = [{ hints: ['frob'], pattern: 'frob' }];\n", /form 1: pattern is not a RegExp/],
  ])('refuses a folder whose secrets module exports %s, naming the file', async (_, source, message) => {
    const { dir, file } = root('acme', source);
    const error = await discoverGrammars(dir).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(Error);
    expect(error!.message.startsWith(`${file}: `)).toBe(true);
    expect(error!.message).toMatch(message);
  });

  it('every platform folder of this checkout with a secrets module has its grammar loaded', () => {
    const withModule = platformFolders().filter((f) => ['secrets.ts', 'secrets.js'].some((m) => existsSync(join(f.dir, m))));
    expect(Object.keys(platformGrammars).sort()).toEqual(withModule.map((f) => f.name).sort());
  });
});
