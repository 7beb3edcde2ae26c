// The WAL checkpointer's thread (checkpointer.ts): its own connection to the store file, which
// copies the pages the store thread committed to the WAL back into the database when asked.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { CheckpointReply } from './checkpointer.js';
import { nameThisThread } from '../thread-priority.js';

nameThisThread('aaw-checkpoint');
const port = parentPort!;
const db = new Database((workerData as { path: string }).path, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
// This connection writes no transaction of its own, so it never checkpoints but when asked.
db.pragma('wal_autocheckpoint = 0');

port.on('message', (m: 'checkpoint' | 'close') => {
  if (m === 'close') {
    db.close();
    port.close();
    return;
  }
  try {
    // PASSIVE: copies what no reader still needs and never waits on the store thread's writes.
    const [row] = db.pragma('wal_checkpoint(PASSIVE)') as Array<{ busy: number; log: number; checkpointed: number }>;
    port.postMessage({ ok: true, log: row!.log, checkpointed: row!.checkpointed } satisfies CheckpointReply);
  } catch (err) {
    // A full disk or a locked file: the store thread's own fallback checkpoint still bounds the WAL.
    port.postMessage({ ok: false, error: err instanceof Error ? err.message : String(err) } satisfies CheckpointReply);
  }
});
port.postMessage({ ready: true } satisfies CheckpointReply);
