// A small filesystem of its own for a test that fills it: tmpfs, mounted by root (CI runs as root,
// see .ci/run). Outside CI a test that cannot mount is skipped with the reason; under CI it fails.

import { execFileSync } from 'node:child_process';
import { statfsSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'vitest';
import { tempDir } from './temp.js';

const mounted: string[] = [];

/** A tmpfs of `mib` MiB, mounted on a fresh temporary folder. */
export function tmpfsOrSkip(ctx: TestContext, mib: number): string {
  const dir = tempDir('aaawatch-tmpfs-');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${mib}m,mode=0755`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (err) {
    const why = `cannot mount a tmpfs (needs root): ${(err as { stderr?: Buffer }).stderr?.toString().trim() ?? String(err)}`;
    if (process.env.CI === 'true') throw new Error(why);
    ctx.skip(why);
  }
  mounted.push(dir);
  return dir;
}

/** Unmount every tmpfs this file mounted (call in afterAll, before the folders are removed). */
export function unmountAll(): void {
  for (const dir of mounted.splice(0)) execFileSync('umount', ['-l', dir]);
}

export function freeBytes(dir: string): number {
  const s = statfsSync(dir);
  return s.bavail * s.bsize;
}

/** A file of zeros that leaves `leave` bytes free on the filesystem of `dir` (none: fill it). */
export function fill(dir: string, leave = 0): string {
  const path = join(dir, 'filler');
  writeFileSync(path, '');
  const fd = openSync(path, 'a');
  const chunk = Buffer.alloc(64 * 1024);
  try {
    for (let want = freeBytes(dir) - leave; want > 0; want -= chunk.length) {
      writeSync(fd, chunk, 0, Math.min(chunk.length, want));
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    closeSync(fd);
  }
  return path;
}
