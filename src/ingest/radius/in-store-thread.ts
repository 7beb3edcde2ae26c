// The RADIUS accounting server run inside the store thread (src/store/writer-worker.ts), so that a
// request is received, read, committed and answered by one thread: no hand-over to another thread
// and no answer back, no batch turned into its wire form and read again, and one thread to wake
// per group instead of two. Under bench:aaa's radclient load (five always-runnable pollers on two
// cores) each hop between threads was a wait for a core (BENCHMARKS.md, rad18b and rad18c).
//
// What it needs from the main thread, and how it gets it:
// - the configuration (secrets, allow-list, inventory, batch sizes): copied once, at attach;
// - device names: the inventory's, which never change while serving (the same DeviceDirectory);
// - requests whose records change accounts: `account.set` becomes create or modify by what the
//   main thread's AccountKnowledge holds (stored records, pulled configurations, syslog), of
//   which there is one copy. Such a request (rare in accounting) is sent to the main thread,
//   stored there through its writer and answered here once committed;
// - /metrics: the counters of the batches this thread stores, and their commit times, are posted
//   once a second (`stats` and the pages read them from the store, committed with the records);
// - its log lines, posted to the main thread's logger.
// The batches go into the store thread's own queue (`submit`) and are written in order with those
// the main thread posts, so one transaction may hold both, and the chain follows that order.

import dgram from 'node:dgram';
import type { MessagePort } from 'node:worker_threads';
import type { DeviceConfig } from '../../config/inventory.js';
import type { IngestBatch } from '../../store/batch.js';
import { IngestWriter, type WriterOptions } from '../../store/writer.js';
import { createAllowList } from '../allow.js';
import { DeviceDirectory } from '../devices.js';
import { CommitGate } from '../native/commit.js';
import { SecretTable, type SecretEntry } from '../native/keys.js';
import { Pipeline, type NativeMessage } from '../pipeline.js';
import { Reader } from '../reader.js';
import { AccountKnowledge } from '../resolve.js';
import { radiusSocket, type RadiusOptions, type RadiusSocket } from './listener.js';
import { GATHER_MS, type ErrorLog } from './requests.js';

/** What the main thread sends to start the receiver here (structured clone: data only). */
export interface RadiusInStoreSetup {
  radius: Omit<RadiusOptions, 'secrets'> & { secrets: SecretEntry[] };
  allow: string[];
  devices: DeviceConfig[];
  defaultZone: string;
  storeAllMessages: boolean;
  writer: WriterOptions;
}

/** Store thread → main thread, on the receiver's own port. */
export type FromStoreThread =
  | { bound: { address: string; port: number } }
  | { bindFailed: { message: string; code: string | undefined } }
  | { closed: true }
  | { log: { level: 'error'; fields: Record<string, unknown>; msg: string } }
  | { counts: { counters: Array<[string, number]>; gauges: Array<[string, number]>; commits: number[] } }
  | { accounts: { id: number; message: NativeMessage } };

/** Main thread → store thread. */
export type ToStoreThread = 'close' | { accountsDone: { id: number; ok: boolean } };

/** How a batch joins the store thread's queue; settles with the store thread's time for its commit (ms). */
export type Submit = (batch: IngestBatch) => Promise<number>;

/** Counters and commit times posted to the main thread at most this often. */
const COUNTS_MS = 1000;

/** No parsers are loaded here: native requests arrive already read into records. */
const NO_RECOGNITION = (): { records: never[]; unknown: never[] } => ({ records: [], unknown: [] });

export async function startRadiusInStoreThread(setup: RadiusInStoreSetup, port: MessagePort, submit: Submit): Promise<void> {
  const post = (m: FromStoreThread): void => port.postMessage(m);
  const log = portLogger(post);

  // What /metrics counts of the batches stored here, posted together.
  let counters = new Map<string, number>();
  let gauges = new Map<string, number>();
  let commits: number[] = [];
  let countsTimer: NodeJS.Timeout | undefined;
  const postCounts = (): void => {
    countsTimer = undefined;
    if (counters.size === 0 && gauges.size === 0 && commits.length === 0) return;
    post({ counts: { counters: [...counters], gauges: [...gauges], commits } });
    counters = new Map();
    gauges = new Map();
    commits = [];
  };
  const writer = new IngestWriter(
    {
      write: (batch) => {
        for (const [name, n] of batch.counters) counters.set(name, (counters.get(name) ?? 0) + n);
        for (const [name, v] of batch.gauges) gauges.set(name, v);
        countsTimer ??= setTimeout(postCounts, COUNTS_MS);
        return submit(batch).then((ms) => void commits.push(ms));
      },
    },
    setup.writer,
  );

  // Requests that change accounts: stored by the main thread, which knows the accounts.
  let nextId = 0;
  const away = new Map<number, { resolve: () => void; reject: (err: Error) => void }>();
  const accounts = (message: NativeMessage): Promise<void> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      away.set(id, { resolve, reject });
      post({ accounts: { id, message } });
    });

  const devices = new DeviceDirectory(setup.devices, setup.defaultZone);
  const reader = new Reader(NO_RECOGNITION, devices, new AccountKnowledge());
  const pipeline = new Pipeline(reader, writer, { storeAllMessages: setup.storeAllMessages });
  const gate = new CommitGate(writer, GATHER_MS);
  // A Buffer crosses threads as a plain Uint8Array: made a Buffer again.
  const secrets = setup.radius.secrets.map((e) => ({ sources: e.sources, secret: Buffer.from(e.secret.buffer, e.secret.byteOffset, e.secret.byteLength) }));
  const options: RadiusOptions = { ...setup.radius, secrets: new SecretTable(secrets) };

  let listener: RadiusSocket;
  try {
    listener = await radiusSocket(options, { pipeline, writer, gate, log, allow: createAllowList(setup.allow), accounts });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    post({ bindFailed: { message: e.message, code: e.code } });
    port.close();
    return;
  }
  // What is only counted (Status-Server, retransmissions) goes to the store within a second: the
  // writer hands a batch over when something is stored or rejected, not for a count alone.
  const flusher = setInterval(() => writer.flush(), COUNTS_MS);
  flusher.unref();
  let closing = false;
  listener.closed.then(() => {
    // Closed by `close`, or by the socket itself: what was counted goes with it.
    clearInterval(flusher);
    writer.flush();
    if (countsTimer) clearTimeout(countsTimer);
    postCounts();
    post({ closed: true });
    if (closing) port.close();
  });
  port.on('message', (m: ToStoreThread) => {
    if (m === 'close') {
      closing = true;
      void listener.close();
      return;
    }
    const waiting = away.get(m.accountsDone.id);
    if (!waiting) return;
    away.delete(m.accountsDone.id);
    if (m.accountsDone.ok) waiting.resolve();
    else waiting.reject(new Error('not stored'));
  });
  post({ bound: { address: listener.address, port: listener.port } });
}

/** The receiver's errors, logged by the main thread's logger. */
const portLogger = (post: (m: FromStoreThread) => void): ErrorLog => ({
  error: (fields, msg) => post({ log: { level: 'error', fields, msg } }),
});
