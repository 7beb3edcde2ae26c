// The whole pipeline for reconciliation tests: a real ingest service on loopback (UDP, worker
// thread, SQLite file) whose account records reach a ReconcileService through the same hook
// serve uses, pulls from the SSH device emulator replaying real transcripts, and a roster file.

import dgram from 'node:dgram';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { configSchema, type Config } from '../../src/config/schema.js';
import { watchPulledAccounts } from '../../src/ingest/pulled-accounts.js';
import { startIngest, type Ingest } from '../../src/ingest/service.js';
import { pullDevice, type DeviceResult } from '../../src/pull/run.js';
import type { Finding } from '../../src/reconcile/findings.js';
import { listFindings } from '../../src/reconcile/lifecycle.js';
import { ReconcileService } from '../../src/reconcile/service.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { corpusPath } from '../support/corpus.js';
import { startEmulator, type RunningEmulator } from '../support/emulator/device.js';
import { emulatedTarget, pullContext } from '../support/emulator/targets.js';
import { loadTranscript, type Transcript } from '../support/emulator/transcript.js';
import { tempDir } from '../support/temp.js';

export const IOS_C9200 = (): Transcript => loadTranscript(corpusPath('ssh-sessions', 'ios#C9200L-24P-4G_17.09.04a#simulation.yaml'));

/** The recording with its configuration edited, as if the device had been reconfigured. */
export function edited(t: Transcript, edit: (config: string) => string): Transcript {
  return { ...t, exchanges: t.exchanges.map((e) => (e.command === 'show running-config' ? { ...e, response: edit(e.response) } : e)) };
}

/** Add `username …` lines to an IOS configuration, where IOS keeps them (after the existing ones). */
export function withUsers(t: Transcript, ...lines: string[]): Transcript {
  return edited(t, (c) => c.replace(/(username rocks [^\n]*\n)/, `$1${lines.map((l) => l + '\n').join('')}`));
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * A Cisco IOS line as a device with `service timestamps log datetime msec year show-timezone`,
 * `service sequence-numbers` and `logging origin-id hostname` sends it (the forms in the
 * foundation issue and Cisco's system message guide).
 */
export function iosLine(seq: number, host: string, t: number, tag: string, text: string): string {
  const d = new Date(t);
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  const stamp = `${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())} ${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)} UTC`;
  return `<189>${seq}: ${host}: ${stamp}: %${tag}: ${text}`;
}

export interface Pipeline {
  dir: string;
  config: Config;
  db: Db;
  ingest: Ingest;
  service: ReconcileService;
  rosterFile: string;
  /** Send lines over UDP and wait until `records` more records are stored. */
  send(lines: string[], records: number): Promise<void>;
  pull(device: string, transcript: Transcript): Promise<DeviceResult>;
  findings(kind?: string, status?: Finding['status'][]): Finding[];
  stop(): Promise<void>;
}

export async function startPipeline(roster: string, patch: (c: Config) => void = () => {}): Promise<Pipeline> {
  const dir = tempDir('aaawatch-reconcile-');
  const rosterFile = join(dir, 'roster.yaml');
  writeFileSync(rosterFile, roster);
  const config = configSchema.parse({
    store: { path: join(dir, 'aaawatch.db') },
    reconcile: { roster: rosterFile, telemetry: { collectorAddresses: ['192.0.2.10'] } },
  });
  config.ingest.udp.port = 0;
  config.ingest.udp.host = '127.0.0.1';
  config.ingest.tcp.enabled = false;
  config.ingest.batchMillis = 20;
  patch(config);
  const db = openDatabase(config.store.path);
  const log = pino({ level: 'silent' });
  const service = new ReconcileService({ config, db, log });
  const ingest = await startIngest(config, db, log, { onAccountEvents: () => service.accountEvents() });
  // As serve does: ingest learns what pulls found from the store.
  const pulled = watchPulledAccounts(db, ingest.knowledge, 60_000);
  const client = dgram.createSocket('udp4');
  const emulators: RunningEmulator[] = [];
  const stored = (): number => (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;

  return {
    dir, config, db, ingest, service, rosterFile,
    async send(lines, records) {
      const before = stored();
      for (const l of lines) client.send(Buffer.from(l), ingest.udp!.port, '127.0.0.1');
      const deadline = Date.now() + 10_000;
      for (;;) {
        await ingest.settle();
        if (stored() >= before + records) return;
        if (Date.now() > deadline) throw new Error(`expected ${records} more records, have ${stored() - before}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async pull(device, transcript) {
      const emu = await startEmulator({ transcript });
      emulators.push(emu);
      const result = await pullDevice(pullContext(db), emulatedTarget(emu.port, 'cisco-ios', { name: device }));
      // Ingest learns the device's accounts, so `username x` for one of them is a change.
      pulled.check();
      return result;
    },
    findings(kind, status = ['open', 'acknowledged', 'accepted']) {
      return listFindings(db, { status, ...(kind ? { kind } : {}) });
    },
    async stop() {
      client.close();
      pulled.stop();
      await service.stop();
      await ingest.stop();
      for (const e of emulators) await e.close();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** reconcile.attributionSkewSeconds' default, as the skew account-created's held check places records by (src/reconcile/held.ts). */
export const SKEW_MS = 300_000;
