// src/worker-module.ts under the test runner: a worker runs its build only where the build is
// current, so a source changed since `npm run build` is what its worker runs (through tsx).

import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildIsCurrent, workerModule } from '../src/worker-module.js';
import { REPO } from './support/corpus.js';
import { tempDir } from './support/temp.js';

/** A file at `path` under `root`, last changed `at` seconds after the epoch. */
function file(root: string, path: string, at: number): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), '');
  utimesSync(join(root, path), at, at);
}

describe('workerModule', () => {
  it('is the built worker beside a built caller', () => {
    expect(workerModule('file:///opt/aaawatch/dist/src/store/writer-thread.js', 'writer-worker').href).toBe('file:///opt/aaawatch/dist/src/store/writer-worker.js');
  });

  it('is the build of a TypeScript caller\'s worker when the build is current, else its source through tsx', () => {
    const url = workerModule(pathToFileURL(join(REPO, 'src/store/writer-thread.ts')).href, 'writer-worker').href;
    if (buildIsCurrent(REPO)) expect(url).toBe(pathToFileURL(join(REPO, 'dist/src/store/writer-worker.js')).href);
    else expect(decodeURIComponent(url)).toMatch(/^data:text\/javascript,import \{ register \} from .*tsx.*src\/store\/writer-worker\.ts/);
  });
});

describe('buildIsCurrent', () => {
  it('holds while every source under src/ and parsers/ has a build no older than it; a platform\'s tests are not built', () => {
    const root = tempDir('aaawatch-build-');
    file(root, 'src/store/a.ts', 1000);
    file(root, 'src/types.d.ts', 3000);
    file(root, 'parsers/cisco-ios/index.ts', 1000);
    file(root, 'parsers/cisco-ios/test/parse.test.ts', 3000);
    file(root, 'dist/src/store/a.js', 2000);
    file(root, 'dist/parsers/cisco-ios/index.js', 2000);
    expect(buildIsCurrent(root)).toBe(true);
    // Changed since the build.
    file(root, 'src/store/a.ts', 2500);
    expect(buildIsCurrent(root)).toBe(false);
    file(root, 'src/store/a.ts', 1000);
    file(root, 'parsers/cisco-ios/index.ts', 2500);
    expect(buildIsCurrent(root)).toBe(false);
    file(root, 'parsers/cisco-ios/index.ts', 1000);
    // Not built at all.
    file(root, 'src/new.ts', 1000);
    expect(buildIsCurrent(root)).toBe(false);
  });
});
