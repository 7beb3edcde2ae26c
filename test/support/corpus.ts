// The real-world corpus kept in this repository (test/corpus, provenance in its README). Read in
// place; never edited to fit the code.

import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export const CORPUS = resolve(root, 'test/corpus');

export function corpusPath(...parts: string[]): string {
  return resolve(CORPUS, ...parts);
}

export function corpusLines(...parts: string[]): string[] {
  return readFileSync(corpusPath(...parts), 'utf8').split('\n').filter((l) => l.length > 0);
}

export const REPO = root;
