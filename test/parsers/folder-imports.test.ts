// A vendor is one folder (issue #13): a platform's modules import only their own folder, what
// several platforms share (parsers/lib/), and the normalised types (src/types.ts); parsers/lib/
// imports no platform, and src/ knows the platforms only through the registry. Read from the source, so a new folder is held to it without an edit here.

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { platformFolders } from '../../parsers/folders.js';
import { REPO } from '../support/corpus.js';

const PARSERS = join(REPO, 'parsers');
const IMPORT = /^\s*(?:import|export)\b[^'"]*?\bfrom\s+'(\.{1,2}\/[^']+)'/gm;

/** Source files under `dir`, tests left out (tests may reach the test tooling). */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath, e.name))
    .filter((f) => !relative(dir, f).split(sep).includes('test'));
}

/** Every relative import of a file, as a repository path (`parsers/lib/record.ts`). */
function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(IMPORT)].map((m) => relative(REPO, resolve(dirname(file), m[1]!)).split(sep).join('/').replace(/\.js$/, '.ts'));
}

describe('a vendor is one folder', () => {
  const folders = platformFolders();

  it('finds the platform folders', () => {
    expect(folders.length).toBeGreaterThan(20);
  });

  it.each(folders.map((f) => [f.name, f.dir] as const))('%s imports only its own folder, parsers/lib and src/types.ts', (name, dir) => {
    const outside = sources(dir).flatMap((f) =>
      imports(f)
        .filter((to) => !to.startsWith(`parsers/${name}/`) && !to.startsWith('parsers/lib/') && to !== 'src/types.ts')
        .map((to) => `${relative(REPO, f)} → ${to}`),
    );
    expect(outside).toEqual([]);
  });

  it('src reaches the platforms only through the registry (parsers/index.ts, and its folder list parsers/folders.ts, which loads none) and parsers/lib', () => {
    const outside = sources(join(REPO, 'src')).flatMap((f) =>
      imports(f)
        .filter((to) => to.startsWith('parsers/') && to !== 'parsers/index.ts' && to !== 'parsers/folders.ts' && !to.startsWith('parsers/lib/'))
        .map((to) => `${relative(REPO, f)} → ${to}`),
    );
    expect(outside).toEqual([]);
  });

  it('parsers/lib imports no platform, and nothing of src but the types', () => {
    const platformNames = new Set(folders.map((f) => f.name));
    const outside = sources(join(PARSERS, 'lib')).flatMap((f) =>
      imports(f)
        .filter((to) => {
          const [top, second] = to.split('/');
          if (top === 'parsers') return second !== undefined && platformNames.has(second);
          return to !== 'src/types.ts';
        })
        .map((to) => `${relative(REPO, f)} → ${to}`),
    );
    expect(outside).toEqual([]);
  });
});
