// Assembles ingest: writer, pipeline, warm-up, then the UDP/TCP/TLS listeners, and the kernel
// drop sampler. Returns what `serve` needs to report and to stop cleanly.

import { readFileSync } from 'node:fs';
import { platforms } from '../../parsers/index.js';
import { resolveSecret } from '../config/load.js';
import type { Config } from '../config/schema.js';
import type { Logger } from '../log.js';
import type { Db } from '../store/db.js';
import { knownAccounts } from '../store/queries.js';
import { IngestWriter } from '../store/writer.js';
import { StoreOpenError, ThreadSink, type StoreThreadState, type ThreadSinkEvents } from '../store/writer-thread.js';
import type { WorkerOptions } from '../store/writer-worker.js';
import { accessProblem, diskSpace, whereStored, type StoreEpisode, type StoreFailure } from '../store/store-failure.js';
import type { PgStoreOptions } from '../store/pg/store-writer.js';
import { pgWhere } from '../store/pg/where.js';
import type { RememberedSession } from './relp/resends.js';
import { createAllowList } from './allow.js';
import type { StreamListener } from './connections.js';
import { inventory } from '../pull/inventory-file.js';
import { DeviceDirectory } from './devices.js';
import { CommitGate } from './native/commit.js';
import { startNative, type NativeListeners } from './native/start.js';
import { readSocketDrops, readUdpKernelCounters } from './kernel.js';
import { Pipeline } from './pipeline.js';
import { Reader } from './reader.js';
import { startRelp } from './relp/listener.js';
import { rememberedResends, resendLedger } from './relp/start.js';
import { createRecogniser } from './recognise.js';
import { AccountKnowledge } from './resolve.js';
import { startTcp, startTls } from './stream.js';
import { startUdp, type UdpListener } from './udp.js';
import { warmUp } from './warmup.js';

export interface Ingest {
  pipeline: Pipeline;
  writer: IngestWriter;
  knowledge: AccountKnowledge;
  udp?: UdpListener;
  tcp?: StreamListener;
  tls?: StreamListener;
  /** RELP (rsyslog omrelp), when enabled. */
  relp?: StreamListener;
  /** TACACS+ and RADIUS accounting receivers, when configured. */
  native: NativeListeners;
  /** The store thread, for the health checks. */
  store: { state(): StoreThreadState; ping(): void };
  /** The store's path and its filesystem's free space, for what says it cannot be written. */
  storeWhere(): string;
  /** Sample kernel drop counters now (also done every 10 s). */
  sampleKernel(): void;
  /** Everything received so far is stored once this resolves. */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A shared PostgreSQL store, written as one collector, and what ingest reads from it at start
 * (src/store/pg/ingest-reads.ts), read before ingest starts as reading it is asynchronous.
 */
export interface PgIngestStore {
  postgres: PgStoreOptions;
  knownAccounts: Array<[string, string]>;
  resends: RememberedSession[];
}

/** Where ingest stores: the SQLite store (its handle, for what ingest reads from it at start), or a shared PostgreSQL store. */
export type IngestStore = Db | PgIngestStore;

const isPg = (s: IngestStore): s is PgIngestStore => 'postgres' in s;

/** One log line per syslog listener bound, and the TLS hint when it is off. */
export function announceListeners(ingest: Ingest, log: Logger): void {
  for (const [name, l] of [['udp', ingest.udp], ['tcp', ingest.tcp], ['tls', ingest.tls], ['relp', ingest.relp]] as const) {
    if (!l) continue;
    const where = l.address.includes(':') ? `[${l.address}]:${l.port}` : `${l.address}:${l.port}`;
    log.info({ transport: name, address: l.address, port: l.port }, `syslog ${name.toUpperCase()} listening on ${where}`);
  }
  if (ingest.udp) log.info({ recvBufferBytes: ingest.udp.recvBufferBytes, calls: ingest.udp.calls }, 'UDP receive buffer granted');
  if (!ingest.tls) log.info('syslog TLS off: set ingest.tls.cert and ingest.tls.key to listen on 6514');
}

/** While the store cannot be written, the log says so again this often, with the free space. */
const HELD_REMINDER_MS = 60_000;

/** The message `serve` stops with when the store cannot be opened or written at start. */
/**
 * serve's answer to a store thread that ended unasked: stop as SIGTERM stops it (listeners closed,
 * the other threads ended) and exit 1, so a supervisor (the unit's Restart=on-failure) starts it
 * again rather than it reading on with nothing stored.
 */
export function stopOnStoreEnd(): void {
  process.exitCode = 1;
  process.kill(process.pid, 'SIGTERM');
}

export function storeStartError(path: string, err: unknown): Error {
  const why = err instanceof StoreOpenError ? err.failure.error : err instanceof Error ? err.message : String(err);
  const access = accessProblem(path);
  return new Error(`cannot write the store at ${whereStored(path)}: ${why}${access ? ` (${access})` : ''}`);
}

function readFile(path: string, key: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new Error(`${key}: cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}

/** A reader for this configuration, knowing the accounts `seed` lists. */
export function createReader(config: Config, seed: Iterable<readonly [string, string]>): { reader: Reader; knowledge: AccountKnowledge } {
  const knowledge = new AccountKnowledge(seed);
  // Devices from the inventory file too, so ingest and pulls name devices alike.
  const devices = new DeviceDirectory(inventory(config.devices, config.pull), config.defaultZone);
  const reader = new Reader(createRecogniser(platforms, devices.zoneFor), devices, knowledge);
  return { reader, knowledge };
}

export function createPipeline(config: Config, db: Db, writer: IngestWriter): { pipeline: Pipeline; knowledge: AccountKnowledge } {
  const { reader, knowledge } = createReader(config, knownAccounts(db));
  const pipeline = new Pipeline(reader, writer, { storeAllMessages: config.store.storeAllMessages });
  return { pipeline, knowledge };
}

/**
 * `onAccountEvents`: account records were stored (ids), for reconciliation to raise account-created
 * at once; `onBatch` and `onCommit`: what the metrics count.
 */
export async function startIngest(
  config: Config,
  store: IngestStore,
  log: Logger,
  events: Pick<ThreadSinkEvents, 'onAccountEvents' | 'onBatch' | 'onCommit'> & {
    onStoreResumed?: (episode: StoreEpisode) => void;
    /** The store thread ended unasked, after start: nothing more is stored (logged here). */
    onStoreEnded?: (why: string) => void;
  } = {},
): Promise<Ingest> {
  const ic = config.ingest;
  const pgStore = isPg(store) ? store : undefined;
  // Where the store is, for messages: the SQLite file and its free space, or the PostgreSQL server
  // (without the URL's password) and this collector's name.
  const path = pgStore ? pgWhere(pgStore.postgres.url, pgStore.postgres.collector) : config.store.path;
  const where = (): string => (pgStore ? path : whereStored(path));
  const space = (): ReturnType<typeof diskSpace> => (pgStore ? undefined : diskSpace(path));
  // Reading stops while the store falls behind (pressure) or cannot be written (held): TCP flow
  // control then holds senders back, and TACACS+ senders wait for their answers.
  let pressure = false;
  let held: { failure: StoreFailure; reminder: NodeJS.Timeout; droppedBefore: number; since: number } | undefined;
  let droppedUnwritable = 0;
  const pause = (): void => {
    const paused = pressure || held !== undefined;
    ingest.tcp?.setPaused(paused);
    ingest.tls?.setPaused(paused);
    ingest.relp?.setPaused(paused);
    ingest.native.tacacs?.setPaused(paused);
    ingest.native.tacacsTls?.setPaused(paused);
    ingest.native.radsec?.setPaused(paused);
  };
  const heldFields = (failure: StoreFailure): Record<string, unknown> => {
    const room = space();
    return { database: path, error: failure.error, code: failure.code, freeBytes: room?.free, totalBytes: room?.total, droppedUnwritable };
  };
  const onHold: ThreadSinkEvents['onHold'] = (failure, resumed) => {
    if (failure && held) {
      held.failure = failure;
      log.error(heldFields(failure), `the store still cannot be written at ${where()}, now: ${failure.error}; retrying`);
      return;
    }
    if (failure) {
      const reminder = setInterval(() => {
        if (held) log.error(heldFields(held.failure), `the store still cannot be written at ${where()}: ${held.failure.error}; retrying`);
      }, HELD_REMINDER_MS);
      reminder.unref();
      held = { failure, reminder, droppedBefore: droppedUnwritable, since: Date.now() };
      pause();
      log.error(
        heldFields(failure),
        `the store cannot be written at ${where()}: ${failure.error}. Batches are kept and retried; TCP, TLS and RELP reading is ` +
          'paused, RELP, TACACS+ and RADIUS answers wait, UDP records past the backlog are dropped and counted (dropped.store-unwritable). ' +
          (pgStore ? 'Ingest resumes by itself once PostgreSQL takes writes again.' : 'Free space on that filesystem and ingest resumes by itself.'),
      );
      return;
    }
    if (!held) return;
    clearInterval(held.reminder);
    // Drops counted while the store was held reach droppedUnwritable as they are handed over (onBatch):
    // those still gathered with the writer's batch go now, so the episode's finding says them all (it
    // said 7,663 where the counter came to 9,345, store-failure.test at load ~8, 2026-12-07).
    writer.flush();
    const dropped = droppedUnwritable - held.droppedBefore;
    const episode: StoreEpisode = { path, from: held.since, to: Date.now(), error: held.failure.error, code: held.failure.code, droppedUdp: dropped };
    held = undefined;
    pause();
    writer.count('store.unwritable.episodes');
    writer.count('store.unwritable.ms', resumed?.heldMs ?? 0);
    log.warn(
      { database: path, heldMs: resumed?.heldMs, attempts: resumed?.attempts, droppedUnwritable: dropped, freeBytes: space()?.free },
      `the store can be written again after ${Math.round((resumed?.heldMs ?? 0) / 1000)} s (${where()}); ` +
        `kept batches stored, ${dropped} UDP records dropped meanwhile (dropped.store-unwritable)`,
    );
    // A finding, so the gap in the evidence is on record and alerted (written now there is room).
    events.onStoreResumed?.(episode);
  };
  // Store work (SQLite, or PostgreSQL as this collector) runs in its own thread; this one reads
  // sockets and parses.
  const keepRejectedPerReason = config.store.keepRejectedPerReason;
  const target: WorkerOptions = pgStore ? { postgres: pgStore.postgres, keepRejectedPerReason } : { path, keepRejectedPerReason };
  let started = false;
  const sink = new ThreadSink(
    target,
    {
      onError: (message) => log.error(message),
      ...(events.onAccountEvents ? { onAccountEvents: events.onAccountEvents } : {}),
      onBatch: (counters, gauges) => {
        for (const [name, n] of counters) if (name === 'dropped.store-unwritable') droppedUnwritable += n;
        events.onBatch?.(counters, gauges);
      },
      ...(events.onCommit ? { onCommit: events.onCommit } : {}),
      onPressure: (high) => {
        pressure = high;
        pause();
      },
      onHold,
      onEnded: (why) => {
        // Before ready, the start fails with this (sink.ready below); after it, the store is gone.
        if (!started) return;
        log.fatal({ database: path, why }, `the store thread ended unexpectedly (${why}): nothing more can be stored, stopping (${where()})`);
        events.onStoreEnded?.(why);
      },
      onUnstored: (u) =>
        log.error({ database: path, ...u }, `stopped while the store could not be written: ${u.records} records in ${u.batches} batches were not stored (${where()})`),
    },
  );
  const writer = new IngestWriter(sink, {
    batchRows: ic.batchRows,
    batchMillis: ic.batchMillis,
    keepRejectedPerReason: config.store.keepRejectedPerReason,
  });
  const { reader, knowledge } = createReader(config, isPg(store) ? store.knownAccounts : knownAccounts(store));
  const pipeline = new Pipeline(reader, writer, { storeAllMessages: config.store.storeAllMessages });
  const allow = createAllowList(ic.allow);

  // A cold receiver loses its first burst: warm the parser and the store before binding sockets.
  warmUp(pipeline.reader);
  try {
    await sink.ready;
    started = true;
  } catch (err) {
    await sink.close().catch(() => {});
    if (!pgStore) throw storeStartError(path, err);
    // The PostgreSQL writer's failures at start name store.url as every command's do (pg/connection.ts).
    throw err instanceof StoreOpenError ? new Error(err.failure.error) : new Error(`cannot write to ${path}: ${String(err)}`);
  }

  const ingest: Ingest = {
    pipeline,
    writer,
    knowledge,
    native: {},
    store: sink,
    storeWhere: where,
    sampleKernel,
    settle,
    stop,
  };
  let sampler: NodeJS.Timeout | undefined;
  let kernelStart: ReturnType<typeof readUdpKernelCounters>;
  const tlsConfig = ic.tls;
  const tlsWanted = tlsConfig.enabled ?? Boolean(tlsConfig.cert && tlsConfig.key);
  try {
    if (ic.udp.enabled) {
      ingest.udp = await startUdp({ ...ic.udp, maxMessageBytes: ic.maxMessageBytes, allow: ic.allow, batchedCalls: ic.batchedDatagrams }, pipeline, log);
      writer.gauge('udp.recv_buffer_bytes', ingest.udp.recvBufferBytes);
    }
    if (ic.tcp.enabled) {
      ingest.tcp = await startTcp({ ...ic.tcp, maxMessageBytes: ic.maxMessageBytes }, pipeline, allow, log);
    }
    if (tlsWanted) {
      ingest.tls = await startTls(
        {
          host: tlsConfig.host,
          port: tlsConfig.port,
          maxConnections: tlsConfig.maxConnections,
          maxConnectionsPerSource: tlsConfig.maxConnectionsPerSource,
          idleTimeoutSeconds: tlsConfig.idleTimeoutSeconds,
          stallTimeoutSeconds: tlsConfig.stallTimeoutSeconds,
          requireClientCert: tlsConfig.requireClientCert,
          maxVersion: tlsConfig.maxVersion,
          maxMessageBytes: ic.maxMessageBytes,
          cert: readFile(tlsConfig.cert!, 'ingest.tls.cert'),
          key: readFile(tlsConfig.key!, 'ingest.tls.key'),
          ...(tlsConfig.keyPassphrase !== undefined
            ? { passphrase: resolveSecret(tlsConfig.keyPassphrase, 'ingest.tls.keyPassphrase') }
            : {}),
          ...(tlsConfig.ca ? { ca: readFile(tlsConfig.ca, 'ingest.tls.ca') } : {}),
        },
        pipeline,
        allow,
        log,
      );
    }
    const gate = new CommitGate(writer);
    if (ic.relp.enabled) {
      const r = ic.relp;
      const t = r.tls;
      ingest.relp = await startRelp(
        {
          host: r.host, port: r.port, maxConnections: r.maxConnections, maxConnectionsPerSource: r.maxConnectionsPerSource,
          idleTimeoutSeconds: r.idleTimeoutSeconds, stallTimeoutSeconds: r.stallTimeoutSeconds, maxMessageBytes: ic.maxMessageBytes, maxUnanswered: r.maxUnanswered,
          ...(t.cert && t.key
            ? {
                tls: {
                  cert: readFile(t.cert, 'ingest.relp.tls.cert'),
                  key: readFile(t.key, 'ingest.relp.tls.key'),
                  ...(t.keyPassphrase !== undefined ? { passphrase: resolveSecret(t.keyPassphrase, 'ingest.relp.tls.keyPassphrase') } : {}),
                  ...(t.ca ? { ca: readFile(t.ca, 'ingest.relp.tls.ca') } : {}),
                  requireClientCert: t.requireClientCert,
                },
              }
            : {}),
        },
        { pipeline, writer, gate, allow, log, resends: resendLedger(writer, r, isPg(store) ? store.resends : rememberedResends(store)) },
      );
    }
    await startNative(config, inventory(config.devices, config.pull), { pipeline, writer, gate, allow, log }, ingest.native);
  } catch (err) {
    await stop();
    throw err;
  }

  kernelStart = readUdpKernelCounters();
  sampler = setInterval(sampleKernel, 10_000);
  sampler.unref();

  function sampleKernel(): void {
    const now = readUdpKernelCounters();
    // System-wide counters, so only their growth while aaawatch runs is ours to report.
    if (now && kernelStart) {
      writer.gauge('kernel.udp.rcvbuf_errors_since_start', now.rcvbufErrors - kernelStart.rcvbufErrors);
      writer.gauge('kernel.udp.in_errors_since_start', now.inErrors - kernelStart.inErrors);
    }
    if (ingest.udp) writer.gauge('kernel.udp.socket_drops', readSocketDrops(ingest.udp.port));
  }

  function settle(): Promise<void> {
    writer.flush();
    return sink.drained();
  }

  async function stop(): Promise<void> {
    if (sampler) clearInterval(sampler);
    if (held) clearInterval(held.reminder);
    await Promise.all([ingest.udp?.close(), ingest.tcp?.close(), ingest.tls?.close(), ingest.relp?.close(), ingest.native.tacacs?.close(), ingest.native.tacacsTls?.close(), ingest.native.radius?.close(), ingest.native.radsec?.close()]);
    sampleKernel();
    writer.flush();
    await sink.close();
  }

  return ingest;
}
