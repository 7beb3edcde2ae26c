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
import { ThreadSink, type StoreThreadState, type ThreadSinkEvents } from '../store/writer-thread.js';
import { createAllowList } from './allow.js';
import { inventory } from '../pull/inventory-file.js';
import { DeviceDirectory } from './devices.js';
import { startNative, type NativeListeners } from './native/start.js';
import { readSocketDrops, readUdpKernelCounters } from './kernel.js';
import { Pipeline } from './pipeline.js';
import { Reader } from './reader.js';
import { createRecogniser } from './recognise.js';
import { AccountKnowledge } from './resolve.js';
import { startTcp, startTls, type StreamListener } from './stream.js';
import { startUdp, type UdpListener } from './udp.js';
import { warmUp } from './warmup.js';

export interface Ingest {
  pipeline: Pipeline;
  writer: IngestWriter;
  knowledge: AccountKnowledge;
  udp?: UdpListener;
  tcp?: StreamListener;
  tls?: StreamListener;
  /** TACACS+ and RADIUS accounting receivers, when configured. */
  native: NativeListeners;
  /** The store thread, for the health checks. */
  store: { state(): StoreThreadState; ping(): void };
  /** Sample kernel drop counters now (also done every 10 s). */
  sampleKernel(): void;
  /** Everything received so far is stored once this resolves. */
  settle(): Promise<void>;
  stop(): Promise<void>;
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
  db: Db,
  log: Logger,
  events: Pick<ThreadSinkEvents, 'onAccountEvents' | 'onBatch' | 'onCommit'> = {},
): Promise<Ingest> {
  const ic = config.ingest;
  // SQLite work runs in its own thread; this one reads sockets and parses.
  const sink = new ThreadSink(
    { path: config.store.path, keepRejectedPerReason: config.store.keepRejectedPerReason },
    {
      onError: (message) => log.error(message),
      ...(events.onAccountEvents ? { onAccountEvents: events.onAccountEvents } : {}),
      ...(events.onBatch ? { onBatch: events.onBatch } : {}),
      ...(events.onCommit ? { onCommit: events.onCommit } : {}),
      onPressure: (high) => {
        ingest.tcp?.setPaused(high);
        ingest.tls?.setPaused(high);
        ingest.native.tacacs?.setPaused(high);
        ingest.native.tacacsTls?.setPaused(high);
      },
    },
  );
  const writer = new IngestWriter(sink, {
    batchRows: ic.batchRows,
    batchMillis: ic.batchMillis,
    keepRejectedPerReason: config.store.keepRejectedPerReason,
  });
  const { pipeline, knowledge } = createPipeline(config, db, writer);
  const allow = createAllowList(ic.allow);

  // A cold receiver loses its first burst: warm the parser and the store before binding sockets.
  warmUp(pipeline.reader);
  await sink.ready;

  const ingest: Ingest = {
    pipeline,
    writer,
    knowledge,
    native: {},
    store: sink,
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
      ingest.udp = await startUdp({ ...ic.udp, maxMessageBytes: ic.maxMessageBytes }, pipeline, allow, log);
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
          idleTimeoutSeconds: tlsConfig.idleTimeoutSeconds,
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
    await startNative(config, inventory(config.devices, config.pull), { pipeline, writer, allow, log }, ingest.native);
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
    await Promise.all([ingest.udp?.close(), ingest.tcp?.close(), ingest.tls?.close(), ingest.native.tacacs?.close(), ingest.native.tacacsTls?.close(), ingest.native.radius?.close()]);
    sampleKernel();
    writer.flush();
    await sink.close();
  }

  return ingest;
}
