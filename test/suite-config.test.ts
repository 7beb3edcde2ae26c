// The suite runs most files in a process shared with the files before them (vitest.config.ts):
// a file that changes the process for the next must be in OWN_PROCESS. This reads every test
// file, and the test support modules each one imports, for the ways a file changes its process.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { OWN_PROCESS, SLOWEST } from '../vitest.config.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** What a file does that outlives it in a shared process. */
const CHANGES_PROCESS: [string, RegExp][] = [
  ['fake timers, spies or stubs', /\bvi\.(useFakeTimers|setSystemTime|spyOn|stubEnv|stubGlobal|mock|doMock)\b/],
  ['process.env written', /\bprocess\.env(\[[^\]]+\]|\.\w+)\s*(=(?!=)|\?\?=|\|\|=)|\bdelete\s+process\.env\b|Object\.assign\(\s*process\.env\b/],
  ['the process changed', /\bprocess\.(chdir|umask|setuid|setgid)\(|\bprocess\.exitCode\s*=|\bos\.setPriority\(|\bsetPriority\(/],
];

/** Support modules that are the setup of every file (setup.ts) or of the run (global-setup.ts): not a file's own change. */
const RUN_SETUP = new Set(['test/support/setup.ts', 'test/support/global-setup.ts']);

function testFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...testFiles(path));
    else if (entry.name.endsWith('.test.ts')) out.push(relative(ROOT, path));
  }
  return out;
}

/** The test/ modules a file imports, followed through the modules they import. */
function supportModules(file: string, seen = new Set<string>()): Set<string> {
  for (const m of readFileSync(join(ROOT, file), 'utf8').matchAll(/\bfrom\s+'(\.{1,2}\/[^']+)'|\bimport\(\s*'(\.{1,2}\/[^']+)'\s*\)/g)) {
    const spec = (m[1] ?? m[2])!.replace(/\.js$/, '.ts');
    const path = relative(ROOT, resolve(dirname(join(ROOT, file)), spec));
    if (!path.startsWith('test/') || path.endsWith('.test.ts') || seen.has(path) || !existsSync(join(ROOT, path))) continue;
    seen.add(path);
    supportModules(path, seen);
  }
  return seen;
}

function changes(file: string): string[] {
  const found: string[] = [];
  for (const path of [file, ...supportModules(file)]) {
    if (RUN_SETUP.has(path)) continue;
    const text = readFileSync(join(ROOT, path), 'utf8');
    for (const [what, pattern] of CHANGES_PROCESS) if (pattern.test(text)) found.push(`${what} (${path})`);
  }
  return found;
}

const ALL = [...testFiles(join(ROOT, 'test')), ...testFiles(join(ROOT, 'parsers'))];
/** This file: its own samples of the patterns are strings, and it changes nothing. */
const SELF = relative(ROOT, fileURLToPath(import.meta.url));

describe('which files share a process', () => {
  it('every file that changes its process for the next runs in a process of its own', () => {
    const own = new Set(OWN_PROCESS);
    const shared = ALL.filter((f) => !own.has(f) && f !== SELF).map((f) => [f, changes(f)] as const).filter(([, found]) => found.length > 0);
    expect(shared).toEqual([]);
  });

  it('names only files that exist', () => {
    expect(OWN_PROCESS.filter((f) => !ALL.includes(f))).toEqual([]);
    expect(SLOWEST.filter((f) => !ALL.includes(f))).toEqual([]);
  });

  it('reads the ways a file changes its process', () => {
    const hits = (text: string): boolean => CHANGES_PROCESS.some(([, p]) => p.test(text));
    for (const text of ["vi.useFakeTimers();", "vi.spyOn(console, 'log')", "process.env.AAAWATCH_KEY = 'k';", "process.env[KEY_ENV] = 'x'", 'delete process.env.X;', "process.chdir('/tmp')", 'process.exitCode = 1']) {
      expect(hits(text), text).toBe(true);
    }
    for (const text of ["if (process.env.CI === 'true')", 'const k = process.env.KEY;', "process.env.X == 'y'", 'const env = { ...process.env, X: "1" };']) {
      expect(hits(text), text).toBe(false);
    }
  });
});
