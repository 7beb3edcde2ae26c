// Another connection holding a SQLite store's write lock, as serve's store or reconcile thread holds
// it while it commits: a worker thread (the test's own thread stays free to run the code under test,
// which waits in SQLite's busy handler) begins IMMEDIATE, says so, sleeps `ms` and commits.

import { Worker } from 'node:worker_threads';

const HOLDER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require('better-sqlite3');
const db = new Database(workerData.path, { fileMustExist: true });
db.exec('BEGIN IMMEDIATE');
parentPort.postMessage('held');
Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, workerData.ms);
db.exec('COMMIT');
db.close();
`;

/** Resolves once the lock is held; `released` resolves when the holder has committed and ended. */
export async function holdWriteLock(path: string, ms: number): Promise<{ released: Promise<void> }> {
  const worker = new Worker(HOLDER, { eval: true, workerData: { path, ms } });
  const released = new Promise<void>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('exit', () => resolve());
  });
  await new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve());
    released.then(() => reject(new Error('the lock holder ended before it held the lock')), reject);
  });
  return { released };
}
