// When the store cannot be written: which failures may pass (and are waited out, the batch kept),
// and how the store's filesystem stands, for messages that say where and how much room is left.

import { accessSync, constants, existsSync, statfsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname } from 'node:path';
import { BUSY_TIMEOUT_MS } from './db.js';

/** Why the store could not be written: SQLite's message and code (`SQLITE_FULL`, `SQLITE_IOERR_WRITE`…). */
export interface StoreFailure {
  error: string;
  code: string | undefined;
}

/**
 * Failures that pass once the disk has room again, the other writer lets go or the device
 * recovers: the batch is kept and tried again. Any other failure (a constraint, a bug) would fail
 * the same way every time, so that batch is given up, and counted.
 */
export function retryable(code: string | undefined): boolean {
  return code !== undefined && /^SQLITE_(FULL|IOERR|BUSY|LOCKED|CANTOPEN|READONLY|PROTOCOL|NOMEM)/.test(code);
}

/**
 * Why a write failed, for a message: SQLite's words and code, and for a lock held past the busy
 * timeout who holds such locks; any other error's message as it is. Never a stack trace.
 */
export function storeCause(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return message;
  const why = `${message} (${code})`;
  if (!code.startsWith('SQLITE_BUSY')) return why;
  return `${why}: another connection (serve's store or reconciliation, its web, or another command) held the write lock for more than ${BUSY_TIMEOUT_MS / 1000} s, and nothing of this was written`;
}

/** A time the store could not be written, told to reconciliation once it could again. */
export interface StoreEpisode {
  path: string;
  from: number;
  to: number;
  error: string;
  code: string | undefined;
  /** UDP records dropped meanwhile (dropped.store-unwritable). */
  droppedUdp: number;
}

/** The device name findings about aaawatch itself are raised under. */
export const COLLECTOR_DEVICE = '(aaawatch)';

/** Waits between attempts while the store cannot be written: short at first, then every 2 s. */
export const RETRY_FIRST_MS = 100;
export const RETRY_MAX_MS = 2000;

/** Free and total bytes of the filesystem holding `path` (its folder), or undefined when it cannot be read. */
export function diskSpace(path: string): { free: number; total: number } | undefined {
  try {
    const s = statfsSync(dirname(path));
    return { free: s.bavail * s.bsize, total: s.blocks * s.bsize };
  } catch {
    return undefined;
  }
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

export function bytes(n: number): string {
  let u = 0;
  while (n >= 1024 && u < UNITS.length - 1) {
    n /= 1024;
    u++;
  }
  return `${u === 0 ? n : n.toFixed(n < 10 ? 1 : 0)} ${UNITS[u]}`;
}

/** Less room than this, and the filesystem is said to be full: SQLite needs pages, the WAL and its index. */
const FULL_BELOW = 1024 * 1024;

/**
 * Where the store is and how much room its filesystem has: `/var/lib/aaawatch/aaawatch.db (12 MiB
 * free of 20 GiB)`, or `(0 B free of 20 GiB; the filesystem is full)`.
 */
export function whereStored(path: string): string {
  const space = diskSpace(path);
  if (!space) return path;
  return `${path} (${bytes(space.free)} free of ${bytes(space.total)}${space.free < FULL_BELOW ? '; the filesystem is full' : ''})`;
}

/** This process's user, as a message names it: `nobody`, or `uid 1234` without a name. */
function whoAmI(): string {
  try {
    return `user ${userInfo().username}`;
  } catch {
    return `uid ${process.getuid?.() ?? '?'}`;
  }
}

/**
 * Why this process may not write the store, when its permissions are why: SQLite says only
 * "unable to open database file" or "attempt to write a readonly database". Undefined when the
 * store's folder and files can be written (or do not exist yet: the folder is made).
 */
export function accessProblem(path: string): string | undefined {
  const denied = (p: string): string | undefined => {
    try {
      accessSync(p, constants.W_OK);
      return undefined;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EROFS') return `${p} is on a read-only filesystem`;
      return code === 'EACCES' || code === 'EPERM' ? `${p} is not writable by ${whoAmI()}` : undefined;
    }
  };
  const dir = dirname(path);
  if (existsSync(dir)) {
    const d = denied(dir);
    if (d) return `the folder ${d}`;
  }
  for (const f of [path, `${path}-wal`, `${path}-shm`]) {
    const d = existsSync(f) ? denied(f) : undefined;
    if (d) return d;
  }
  return undefined;
}
