// A real ingest service on loopback for tests: real sockets, a real SQLite file in a temp folder.

import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { configSchema, type Config } from '../../src/config/schema.js';
import { startIngest, type Ingest } from '../../src/ingest/service.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { tempDir } from './temp.js';

export interface TestIngest {
  ingest: Ingest;
  db: Db;
  config: Config;
  dir: string;
  counter(name: string): number;
  /** Store what has arrived and poll until `check` holds (or fail after `ms`). */
  until(check: () => boolean, ms?: number): Promise<void>;
  stop(): Promise<void>;
}

/** `patch` edits the parsed default config (ports are 0 = any free port unless set); `events` as startIngest takes them. */
export async function startTestIngest(patch: (c: Config) => void = () => {}, events: Parameters<typeof startIngest>[3] = {}): Promise<TestIngest> {
  const dir = tempDir();
  const config = configSchema.parse({ store: { path: join(dir, 'aaawatch.db') } });
  config.ingest.udp.port = 0;
  config.ingest.tcp.port = 0;
  config.ingest.tls.port = 0;
  config.ingest.udp.host = '::';
  config.ingest.tcp.host = '::';
  config.ingest.batchMillis = 20;
  patch(config);
  const db = openDatabase(config.store.path);
  const ingest = await startIngest(config, db, pino({ level: 'silent' }), events);
  const counter = (name: string): number =>
    (db.prepare('SELECT value FROM counters WHERE name = ?').get(name) as { value: number } | undefined)?.value ?? 0;
  return {
    ingest,
    db,
    config,
    dir,
    counter,
    async until(check, ms = 10_000) {
      const deadline = Date.now() + ms;
      for (;;) {
        await ingest.settle();
        if (check()) return;
        if (Date.now() > deadline) throw new Error('condition not met in time');
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async stop() {
      await ingest.stop();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
