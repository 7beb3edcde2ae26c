// Where a worker thread's module is. Built code runs the `.js` beside the caller. Under the test
// runner the caller is TypeScript: the worker runs the build of its module (dist/, which `npm test`
// builds first) when every source file has been built since it last changed, and otherwise
// registers tsx before loading its TypeScript source (Node's own `--import` does not reach worker
// threads here). A worker through tsx costs more to start, its loader hooks on a thread of their
// own: an in-process ingest's workers 1.2–1.3 s of CPU against 0.6–0.8 s built (load 30, four starts
// each way), over the suite's ~110 in-process ingest starts and its web and reconciliation threads.

import { readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** buildIsCurrent for this checkout, asked once a process (~700 files). */
let current: boolean | undefined;

/** The module `name` (without extension) beside the module at `callerUrl` (its `import.meta.url`). */
export function workerModule(callerUrl: string, name: string): URL {
  if (!callerUrl.endsWith('.ts')) return new URL(`./${name}.js`, callerUrl);
  const root = fileURLToPath(new URL('..', import.meta.url));
  const caller = fileURLToPath(callerUrl);
  if (caller.startsWith(root) && (current ??= buildIsCurrent(root))) {
    return pathToFileURL(join(root, 'dist', dirname(caller.slice(root.length)), `${name}.js`));
  }
  const source = new URL(`./${name}.ts`, callerUrl).href;
  // tsx's ESM entry, found through its package.json (its CommonJS build cannot be imported here).
  const pkg = createRequire(callerUrl).resolve('tsx/package.json');
  const tsx = pathToFileURL(join(dirname(pkg), 'dist/esm/api/index.mjs')).href;
  const boot = `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(source)});`;
  return new URL('data:text/javascript,' + encodeURIComponent(boot));
}

/** Whether each source file tsconfig.json builds (src/, parsers/ but their tests) has a build no older than it. */
export function buildIsCurrent(root: string): boolean {
  const fresh = (dir: string): boolean => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (/^parsers\/[^/]+\/test$/.test(path)) continue;
        if (!fresh(path)) return false;
      } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
        const built = statSync(join(root, 'dist', path.replace(/\.ts$/, '.js')), { throwIfNoEntry: false });
        if (!built || built.mtimeMs < statSync(join(root, path)).mtimeMs) return false;
      }
    }
    return true;
  };
  return fresh('src') && fresh('parsers');
}
