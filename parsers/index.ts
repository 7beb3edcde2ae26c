// Every platform aaawatch knows, found by looking: each folder here but lib/ is one platform, whose
// index module exports a Platform with the folder's name as its id. Adding a vendor is adding its
// folder; nothing here or in src/ changes. The folders are read once, when this module loads (the
// top-level await: every importer gets the finished list), in name order, so the list is the
// same on every machine.

import { pathToFileURL } from 'node:url';
import type { Platform } from '../src/types.js';
import { platformFolders } from './folders.js';

function isPlatform(value: unknown, id: string): value is Platform {
  return typeof value === 'object' && value !== null && (value as { id?: unknown }).id === id && typeof (value as { name?: unknown }).name === 'string';
}

async function discover(): Promise<Platform[]> {
  const folders = platformFolders();
  // A URL, not a `./${name}/…` template: bundlers and vitest rewrite templated imports into a fixed list.
  const modules = await Promise.all(folders.map((f) => import(pathToFileURL(f.index).href) as Promise<Record<string, unknown>>));
  return folders.map(({ name }, i) => {
    const found = Object.values(modules[i]!).filter((v) => isPlatform(v, name));
    if (found.length !== 1) throw new Error(`parsers/${name}/index: must export exactly one Platform whose id is '${name}' (found ${found.length})`);
    return found[0] as Platform;
  });
}

export const platforms: readonly Platform[] = await discover();

export function platformById(id: string): Platform | undefined {
  return platforms.find((p) => p.id === id);
}
