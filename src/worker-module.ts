// Where a worker thread's module is. Built code runs the `.js` beside the caller; under the test
// runner the caller is TypeScript, and the worker registers tsx before loading its TypeScript
// source (Node's own `--import` does not reach worker threads here).

import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The module `name` (without extension) beside the module at `callerUrl` (its `import.meta.url`). */
export function workerModule(callerUrl: string, name: string): URL {
  if (!callerUrl.endsWith('.ts')) return new URL(`./${name}.js`, callerUrl);
  const source = new URL(`./${name}.ts`, callerUrl).href;
  // tsx's ESM entry, found through its package.json (its CommonJS build cannot be imported here).
  const pkg = createRequire(callerUrl).resolve('tsx/package.json');
  const tsx = pathToFileURL(join(dirname(pkg), 'dist/esm/api/index.mjs')).href;
  const boot = `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(source)});`;
  return new URL('data:text/javascript,' + encodeURIComponent(boot));
}
