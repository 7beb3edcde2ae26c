// Once per `vitest run` (globalSetup): a temporary folder for this run, in which each test file
// gets its own as TMPDIR (setup.ts, which fails a file that leaves anything behind). Other runs on
// the same machine have folders of their own. At the end the run's folder is removed; anything
// still in it is reported and fails the run.

import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'aaawatch-run-'));
  // Passable by others, as /tmp is (the sshd test runs sshd as another user).
  chmodSync(root, 0o755);
  process.env.AAAWATCH_TEST_TMP = root;
  process.env.TMPDIR = root;
  return () => {
    // Each file's folder is removed by the file (setup.ts); tsx's compile cache is the run's.
    const left = readdirSync(root).filter((name) => !name.startsWith('tsx-'));
    rmSync(root, { recursive: true, force: true });
    if (left.length > 0) {
      process.stderr.write(`the tests left temporary files behind: ${left.join(', ')}\n`);
      process.exitCode = 1;
    }
  };
}
