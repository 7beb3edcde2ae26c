// Where the shared real-world corpus lives. It is read in place, never copied into the repository.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function find(): string {
  const candidates = [process.env.AAAWATCH_CORPUS, resolve(root, '../shared/corpus'), '/work/shared/corpus'];
  for (const c of candidates) if (c && existsSync(resolve(c, 'README.md'))) return c;
  throw new Error(
    `The shared corpus was not found (tried ${candidates.filter(Boolean).join(', ')}). Set AAAWATCH_CORPUS to its folder.`,
  );
}

export const CORPUS = find();

export function corpusPath(...parts: string[]): string {
  return resolve(CORPUS, ...parts);
}

export function corpusLines(...parts: string[]): string[] {
  return readFileSync(corpusPath(...parts), 'utf8').split('\n').filter((l) => l.length > 0);
}

export const REPO = root;
