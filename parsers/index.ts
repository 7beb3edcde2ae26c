// Every platform aaawatch knows, found by looking: each folder here but lib/ is one platform, whose
// index module exports a Platform with the folder's name as its id. Adding a vendor is adding its
// folder; nothing here or in src/ changes. The folders are read once, when this module loads (the
// top-level await: every importer gets the finished list), in name order, so the list is the
// same on every machine.

import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Platform } from '../src/types.js';

/** Folders that hold no platform: what several platforms share. */
const NOT_PLATFORMS = new Set(['lib']);

const HERE = dirname(fileURLToPath(import.meta.url));

/** A platform folder and its index module: `.ts` in a checkout run by tsx or vitest, `.js` once built. */
interface Folder {
  name: string;
  index: string;
}

/** The platform folders, in name order. */
export function platformFolders(root = HERE): Folder[] {
  const out: Folder[] = [];
  for (const e of readdirSync(root, { withFileTypes: true })) {
    if (!e.isDirectory() || NOT_PLATFORMS.has(e.name)) continue;
    const index = ['index.js', 'index.ts'].map((f) => join(root, e.name, f)).find((f) => existsSync(f));
    if (index) out.push({ name: e.name, index });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : 1));
}

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
