// Once per `vitest run` (globalSetup): a temporary folder for this run, in which each test file
// gets its own as TMPDIR (setup.ts, which fails a file that leaves anything behind). Other runs on
// the same machine have folders of their own. At the end the run's folder is removed; anything
// still in it is reported and fails the run. A run killed before its end (a `timeout`, Ctrl-C
// twice) never reaches that, so each run also removes the folders of runs whose process is gone.

import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEMPLATE } from './postgres.js';

const PREFIX = 'aaawatch-run-';
/** The run's process id, in its folder: how a later run knows the folder's run is gone. */
const PID_FILE = 'run.pid';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: a process of another user holds the id, so the folder may still be in use.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The folders of earlier runs whose process is gone; a folder without its pid file is left alone. */
function removeDeadRuns(): void {
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(PREFIX)) continue;
    const dir = join(tmpdir(), name);
    let pid: number;
    try {
      pid = Number(readFileSync(join(dir, PID_FILE), 'utf8'));
    } catch {
      continue;
    }
    if (Number.isInteger(pid) && pid > 0 && !alive(pid)) removeDeadRun(dir);
  }
}

/**
 * A dead run's folder, with the tmpfs mounts a killed run left in it (tmpfs.ts) unmounted first;
 * one that still cannot be removed is left: it is no part of this run, which must not fail for it.
 */
function removeDeadRun(dir: string): void {
  try {
    const mounts = readFileSync('/proc/mounts', 'utf8').split('\n').map((l) => l.split(' ')[1] ?? '').filter((m) => m.startsWith(`${dir}/`));
    for (const m of mounts) spawnSync('umount', ['-l', m], { stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
  } catch {
    // Left for a later run (or the machine's reboot).
  }
}

export default function setup(): () => void {
  removeDeadRuns();
  const root = mkdtempSync(join(tmpdir(), PREFIX));
  // Passable by others, as /tmp is (the sshd test runs sshd as another user).
  chmodSync(root, 0o755);
  writeFileSync(join(root, PID_FILE), String(process.pid));
  process.env.AAAWATCH_TEST_TMP = root;
  process.env.TMPDIR = root;
  return () => {
    // Each file's folder is removed by the file (setup.ts); tsx's compile cache and the template
    // PostgreSQL cluster (postgres.ts) are the run's.
    const left = readdirSync(root).filter((name) => !name.startsWith('tsx-') && name !== PID_FILE && name !== TEMPLATE);
    rmSync(root, { recursive: true, force: true });
    if (left.length > 0) {
      process.stderr.write(`the tests left temporary files behind: ${left.join(', ')}\n`);
      process.exitCode = 1;
    }
  };
}
