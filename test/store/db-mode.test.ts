// The store is for the service and its group only, whoever starts aaawatch and whatever their
// umask: a folder it makes is 0750, the database 0640, and SQLite's -wal and -shm files follow.

import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO } from '../support/corpus.js';
import { tempDir } from '../support/temp.js';

const exec = promisify(execFile);
const dir = tempDir('aaawatch-mode-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const mode = (path: string): string => (statSync(path).mode & 0o777).toString(8);

/** Open (and write to) the database at `path` from a process started with this umask, leaving it open. */
async function openWith(umask: string, path: string): Promise<void> {
  const db = JSON.stringify(join(REPO, 'dist/src/store/db.js'));
  const script = `import { openDatabase } from ${db}; const d = openDatabase(${JSON.stringify(path)}); d.exec("INSERT INTO counters (name, value, updated_at) VALUES ('x', 1, 0)"); process.exit(0);`;
  await exec('sh', ['-c', `umask ${umask} && exec "$0" --input-type=module -e "$1"`, process.execPath, script]);
}

describe('database file modes', () => {
  it.each(['022', '000'])('umask %s: new folders 0750, the database and its -wal and -shm 0640', async (umask) => {
    const path = join(dir, `u${umask}`, 'nested', 'aaawatch.db');
    await openWith(umask, path);
    expect(mode(join(dir, `u${umask}`))).toBe('750');
    expect(mode(join(dir, `u${umask}`, 'nested'))).toBe('750');
    // The process exited without closing: -wal and -shm are still there to be looked at.
    for (const f of [path, `${path}-wal`, `${path}-shm`]) {
      expect(existsSync(f), f).toBe(true);
      expect(mode(f), f).toBe('640');
    }
  });

  it('an existing database keeps the mode its administrator gave it', async () => {
    const folder = join(dir, 'existing');
    mkdirSync(folder, { mode: 0o770 });
    chmodSync(folder, 0o770);
    const path = join(folder, 'aaawatch.db');
    writeFileSync(path, '');
    chmodSync(path, 0o660);
    await openWith('022', path);
    expect(mode(folder)).toBe('770');
    expect(mode(path)).toBe('660');
  });
});
