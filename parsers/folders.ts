// The platform folders of parsers/: each folder but lib/ that holds an index module is one
// platform. Read by parsers/index.ts (the platforms) and parsers/secrets.ts (their secret
// grammars), in name order, so the lists are the same on every machine. No module here imports a
// platform: both readers import them by path, once they know the folders.

import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Folders that hold no platform: what several platforms share. */
const NOT_PLATFORMS = new Set(['lib']);

const HERE = dirname(fileURLToPath(import.meta.url));

/** A platform folder: its name (the platform's id), its path, and its index module. */
export interface Folder {
  name: string;
  dir: string;
  index: string;
}

/** A folder's module `base`: `.ts` in a checkout run by tsx or vitest, `.js` once built; undefined when there is none. */
export function moduleIn(dir: string, base: string): string | undefined {
  return [`${base}.js`, `${base}.ts`].map((f) => join(dir, f)).find((f) => existsSync(f));
}

/** The platform folders, in name order. */
export function platformFolders(root = HERE): Folder[] {
  const out: Folder[] = [];
  for (const e of readdirSync(root, { withFileTypes: true })) {
    if (!e.isDirectory() || NOT_PLATFORMS.has(e.name)) continue;
    const dir = join(root, e.name);
    const index = moduleIn(dir, 'index');
    if (index) out.push({ name: e.name, dir, index });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : 1));
}
