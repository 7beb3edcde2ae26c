// Starting the native accounting receivers (TACACS+, RADIUS) beside the syslog listeners: their
// shared secrets resolved from the environment or files (never the main configuration), bound to
// the addresses inventory devices send from or to subnets.

import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import type { Logger } from 'pino';
import { ConfigError, hostNameKeyProblem, resolveSecret } from '../../config/load.js';
import type { Config } from '../../config/schema.js';
import type { DeviceConfig } from '../../config/inventory.js';
import type { IngestWriter } from '../../store/writer.js';
import type { AllowList } from '../allow.js';
import type { StreamListener } from '../connections.js';
import type { Pipeline } from '../pipeline.js';
import { startRadius, type RadiusListener } from '../radius/listener.js';
import { startRadsec } from '../radius/radsec.js';
import { GATHER_DEPTH, GATHER_MS } from '../radius/requests.js';
import { CommandReaders } from './commands.js';
import { startTacacs, startTacacsTls } from '../tacacs/listener.js';
import { CommitGate } from './commit.js';
import { NativeDevices } from './device.js';
import { SecretTable, type SecretEntry } from './keys.js';

export interface NativeListeners {
  tacacs?: StreamListener;
  tacacsTls?: StreamListener;
  radius?: RadiusListener;
  radsec?: StreamListener;
}

interface SecretConfig {
  devices: string[];
  sources: string[];
}

/** The secret table for entries naming devices (by inventory name) and sources; `key` names the list in errors. */
export function secretTable(
  entries: ReadonlyArray<SecretConfig & ({ key: Parameters<typeof resolveSecret>[0] } | { secret: Parameters<typeof resolveSecret>[0] })>,
  devices: readonly DeviceConfig[],
  key: string,
): SecretTable {
  const byName = new Map(devices.map((d) => [d.name.toLowerCase(), d]));
  const problems: string[] = [];
  const resolved: SecretEntry[] = [];
  entries.forEach((e, i) => {
    const sources = [...e.sources];
    for (const name of e.devices) {
      const d = byName.get(name.toLowerCase());
      const from = d ? sendingAddresses(d) : [];
      if (!d) problems.push(`${key}[${i}].devices: no device named "${name}" in the inventory`);
      else if (from.length === 0) problems.push(`${key}[${i}].devices: ${hostNameKeyProblem(name, d.address)}`);
      sources.push(...from);
    }
    const ref = 'key' in e ? e.key : e.secret;
    const value = resolveSecret(ref, `${key}[${i}].${'key' in e ? 'key' : 'secret'}`);
    if (value.length === 0) problems.push(`${key}[${i}]: the secret is empty`);
    resolved.push({ sources, secret: Buffer.from(value, 'utf8') });
  });
  if (problems.length) throw new ConfigError(problems);
  return new SecretTable(resolved);
}

function readFile(path: string, key: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new ConfigError([`${key}: cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`]);
  }
}

/**
 * The addresses a device sends native accounting from: its inventory address (unless a host name)
 * and its `senders` (a `tacacs`/`radius source-interface` loopback), as native/device.ts knows it by.
 */
function sendingAddresses(d: DeviceConfig): string[] {
  return [...(isIP(d.address) ? [d.address] : []), ...(d.senders ?? [])];
}

/** The addresses of the senders configured as RADIUS proxies (`proxy: true`), devices named by the addresses they send from. */
export function proxySources(entries: ReadonlyArray<SecretConfig & { proxy?: boolean | undefined }>, devices: readonly DeviceConfig[]): string[] {
  const byName = new Map(devices.map((d) => [d.name.toLowerCase(), d]));
  return entries.filter((e) => e.proxy === true).flatMap((e) => [...e.sources, ...e.devices.flatMap((n) => {
    const d = byName.get(n.toLowerCase());
    return d ? sendingAddresses(d) : [];
  })]);
}

export async function startNative(
  config: Config,
  devices: readonly DeviceConfig[],
  ctx: { pipeline: Pipeline; writer: IngestWriter; gate: CommitGate; allow: AllowList; log: Logger },
  started: NativeListeners,
): Promise<void> {
  // A RadSec client is a proxy when a secrets entry with proxy: true names its address (radsecproxy relays for NASes).
  const native = { ...ctx, devices: new NativeDevices(devices, proxySources(config.ingest.radius.secrets, devices)), commands: new CommandReaders() };
  const t = config.ingest.tacacs;
  if (t.enabled ?? t.keys.length > 0) {
    const secrets = secretTable(t.keys, devices, 'ingest.tacacs.keys');
    const common = { host: t.host, maxConnections: t.maxConnections, maxConnectionsPerSource: t.maxConnectionsPerSource, idleTimeoutSeconds: t.idleTimeoutSeconds, maxPacketBytes: t.maxPacketBytes, singleConnection: t.singleConnection };
    started.tacacs = await startTacacs({ ...common, port: t.port, secrets }, native);
    ctx.log.info({ port: started.tacacs.port, keys: secrets.size }, 'TACACS+ accounting listening');
    if (t.tls.enabled ?? Boolean(t.tls.cert && t.tls.key && t.tls.ca)) {
      if (!t.tls.cert || !t.tls.key || !t.tls.ca) throw new ConfigError(['ingest.tacacs.tls: TACACS+ over TLS needs cert, key and ca']);
      started.tacacsTls = await startTacacsTls(
        {
          ...common,
          port: t.tls.port,
          cert: readFile(t.tls.cert, 'ingest.tacacs.tls.cert'),
          key: readFile(t.tls.key, 'ingest.tacacs.tls.key'),
          ca: readFile(t.tls.ca, 'ingest.tacacs.tls.ca'),
          ...(t.tls.keyPassphrase !== undefined ? { passphrase: resolveSecret(t.tls.keyPassphrase, 'ingest.tacacs.tls.keyPassphrase') } : {}),
        },
        native,
      );
      ctx.log.info({ port: started.tacacsTls.port }, 'TACACS+ over TLS accounting listening');
    }
  }
  const r = config.ingest.radius;
  // RADIUS requests gather into commits of their own (requests.ts, GATHER_MS, GATHER_DEPTH); TACACS+ and RELP keep the shared gate.
  const radius = { ...native, gate: new CommitGate(ctx.writer, GATHER_MS, GATHER_DEPTH) };
  if (r.enabled ?? r.secrets.length > 0) {
    const secrets = secretTable(r.secrets, devices, 'ingest.radius.secrets');
    started.radius = await startRadius(
      {
        host: r.host, port: r.port, secrets, duplicateCacheSize: r.duplicateCacheSize, duplicateSeconds: r.duplicateSeconds,
        maxSessions: r.maxSessions, maxPending: r.maxPending, recvBufferBytes: config.ingest.udp.recvBufferBytes,
        batchedCalls: config.ingest.batchedDatagrams,
      },
      radius,
    );
    ctx.log.info({ port: started.radius.port, secrets: secrets.size, calls: started.radius.calls }, 'RADIUS accounting listening');
  }
  const rt = r.tls;
  if (rt.enabled ?? Boolean(rt.cert && rt.key && rt.ca)) {
    if (!rt.cert || !rt.key || !rt.ca) throw new ConfigError(['ingest.radius.tls: RadSec needs cert, key and ca']);
    started.radsec = await startRadsec(
      {
        host: rt.host, port: rt.port, duplicateCacheSize: r.duplicateCacheSize, duplicateSeconds: r.duplicateSeconds, maxSessions: r.maxSessions, maxPending: r.maxPending,
        cert: readFile(rt.cert, 'ingest.radius.tls.cert'),
        key: readFile(rt.key, 'ingest.radius.tls.key'),
        ca: readFile(rt.ca, 'ingest.radius.tls.ca'),
        ...(rt.keyPassphrase !== undefined ? { passphrase: resolveSecret(rt.keyPassphrase, 'ingest.radius.tls.keyPassphrase') } : {}),
        maxConnections: rt.maxConnections, maxConnectionsPerSource: rt.maxConnectionsPerSource, idleTimeoutSeconds: rt.idleTimeoutSeconds, stallTimeoutSeconds: rt.stallTimeoutSeconds,
      },
      radius,
    );
    ctx.log.info({ port: started.radsec.port }, 'RadSec (RADIUS over TLS) accounting listening');
  }
}
