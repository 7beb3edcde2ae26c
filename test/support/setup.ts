// Runs before every test file (vitest setupFiles). The file gets a temporary folder of its own as
// TMPDIR (inside the run's, see global-setup.ts), so what it and the processes it starts leave
// behind is its own. Registered first, this afterAll runs after the file's own hooks have stopped
// its servers and processes: it removes the tempDir() folders, and fails the file if anything else
// is left.

import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { removeTempDirs } from './temp.js';

const runTmp = process.env.AAAWATCH_TEST_TMP ?? tmpdir();
const fileTmp = mkdtempSync(join(runTmp, 'file-'));
// Passable by others, as /tmp is (the sshd test runs sshd as another user).
chmodSync(fileTmp, 0o755);
// Under the test runner, worker threads load their TypeScript through tsx (src/worker-module.ts),
// which keeps a compile cache in TMPDIR as tsx-<euid>: one cache for the run, linked from here.
const tsxCache = `tsx-${process.geteuid?.() ?? userInfo().username}`;
mkdirSync(join(runTmp, tsxCache), { recursive: true });
symlinkSync(join(runTmp, tsxCache), join(fileTmp, tsxCache));
process.env.TMPDIR = fileTmp;

afterAll(() => {
  removeTempDirs();
  const left = readdirSync(fileTmp).filter((name) => name !== tsxCache);
  rmSync(fileTmp, { recursive: true, force: true });
  if (left.length > 0) throw new Error(`this test file left temporary files behind: ${left.join(', ')} (use tempDir() from test/support/temp.ts)`);
});
