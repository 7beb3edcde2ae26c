// The sockets serve listens on, each with the key that configures it: for two of them given one
// port (load.ts), and for a port this machine will not give serve (another process holds it, or it
// is privileged), found before serve starts anything and named by the key's line.

import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import type { Config } from './schema.js';

export interface Listener {
  /** The key of its section (`ingest.tcp`); its port is `port` under it. */
  at: PropertyKey[];
  proto: 'UDP' | 'TCP';
  host: string;
  port: number;
}

/** The listeners serve starts with this configuration; which are on follows their start (src/ingest/service.ts, src/ingest/native/start.ts, web). */
export function listenersOf(config: Config): Listener[] {
  const i = config.ingest;
  const tacacsOn = i.tacacs.enabled ?? i.tacacs.keys.length > 0;
  const all: Array<[PropertyKey[], 'UDP' | 'TCP', boolean, { host: string; port: number }]> = [
    [['ingest', 'udp'], 'UDP', i.udp.enabled, i.udp],
    [['ingest', 'tcp'], 'TCP', i.tcp.enabled, i.tcp],
    [['ingest', 'tls'], 'TCP', i.tls.enabled ?? Boolean(i.tls.cert && i.tls.key), i.tls],
    [['ingest', 'relp'], 'TCP', i.relp.enabled, i.relp],
    [['ingest', 'tacacs'], 'TCP', tacacsOn, i.tacacs],
    [['ingest', 'tacacs', 'tls'], 'TCP', tacacsOn && (i.tacacs.tls.enabled ?? Boolean(i.tacacs.tls.cert && i.tacacs.tls.key && i.tacacs.tls.ca)), { host: i.tacacs.host, port: i.tacacs.tls.port }],
    [['ingest', 'radius'], 'UDP', i.radius.enabled ?? i.radius.secrets.length > 0, i.radius],
    [['ingest', 'radius', 'tls'], 'TCP', i.radius.tls.enabled ?? Boolean(i.radius.tls.cert && i.radius.tls.key && i.radius.tls.ca), i.radius.tls],
    [['web'], 'TCP', config.web.enabled, config.web],
  ];
  return all.filter(([, , on]) => on).map(([at, proto, , l]) => ({ at, proto, host: l.host, port: l.port }));
}

/** What a bind's failure says about the configuration, by the key to change; other failures are the listener's own to report. */
function bindProblem(l: Listener, code: string | undefined): { path: PropertyKey[]; message: string } | undefined {
  const where = `${l.proto} port ${l.port} on ${l.host}`;
  if (code === 'EADDRINUSE') return { path: [...l.at, 'port'], message: `${where} is in use by another process (ss -lntup shows which): stop it, or choose another port` };
  if (code === 'EACCES') return { path: [...l.at, 'port'], message: `${where} may not be bound by this user (a port below 1024 needs CAP_NET_BIND_SERVICE, as the systemd unit grants): grant it, or choose a port above 1023` };
  if (code === 'EADDRNOTAVAIL') return { path: [...l.at, 'host'], message: `${l.host} is not an address of this machine, so ${where} cannot be listened on` };
  return undefined;
}

/** Bind `l` as its listener does (dual-stack, no address reuse) and let it go at once; the failure's code, if any. */
function tryBind(l: Listener): Promise<string | undefined> {
  return new Promise((resolve) => {
    const failed = (err: NodeJS.ErrnoException): void => resolve(err.code ?? 'unknown');
    if (l.proto === 'TCP') {
      // A sender connecting in that moment is let go at once: its connection would hold the close.
      const server = createServer((socket) => socket.destroy());
      server.once('error', failed);
      server.listen({ host: l.host, port: l.port, ipv6Only: false, exclusive: true }, () => server.close(() => resolve(undefined)));
    } else {
      const socket = createSocket({ type: l.host.includes(':') ? 'udp6' : 'udp4', ipv6Only: false, reuseAddr: false });
      socket.once('error', (err) => {
        socket.close();
        failed(err);
      });
      socket.bind({ address: l.host, port: l.port, exclusive: true }, () => socket.close(() => resolve(undefined)));
    }
  });
}

/**
 * A listener's bind failure at start (the port taken between unbindable and its bind) as the
 * configuration's problem, at the key of the listener it came from; undefined for any other failure.
 */
export function bindFailure(config: Config, err: unknown): { path: PropertyKey[]; message: string } | undefined {
  const e = err as (NodeJS.ErrnoException & { port?: unknown }) | undefined;
  const proto = e?.syscall === 'listen' ? 'TCP' : e?.syscall === 'bind' ? 'UDP' : undefined;
  const l = listenersOf(config).find((x) => x.proto === proto && x.port === e?.port);
  return l ? bindProblem(l, e?.code) : undefined;
}

/**
 * The listeners this machine will not give a port now, each at its key: serve met them as a
 * listener's bind error naming neither file nor key, after the store was opened and threads
 * started, and exited 1. A port freed or taken between this and the listener's own bind is that
 * listener's to report.
 */
export async function unbindable(config: Config): Promise<Array<{ path: PropertyKey[]; message: string }>> {
  const found = await Promise.all(listenersOf(config).map(async (l) => bindProblem(l, await tryBind(l))));
  return found.filter((p) => p !== undefined);
}
