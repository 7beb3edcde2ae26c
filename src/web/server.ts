// Starts the web interface: HTTPS when web.tls has a certificate, else plain HTTP (allowed on
// loopback, or behind a TLS proxy with allowPlainHttp), on web.host (127.0.0.1 by default).

import { readFileSync } from 'node:fs';
import { createServer as createHttp, type Server } from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { AddressInfo } from 'node:net';
import { resolveSecret } from '../config/load.js';
import type { Config } from '../config/schema.js';
import type { Logger } from '../log.js';
import type { ObservePages } from '../observe/service.js';
import { loadOrCreateSigningKey, signingKeyPath, type SigningKey } from '../report/signing.js';
import type { Db } from '../store/db.js';
import { createApp } from './app.js';
import type { WebAccess } from './data/access.js';
import { sqliteAccess } from './data/sqlite-access.js';

export interface WebServer {
  url: string;
  address: string;
  port: number;
  listening(): boolean;
  close(): Promise<void>;
}

function readFile(path: string, key: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new Error(`${key}: cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}

/**
 * `store`: the data access (SQLite or PostgreSQL), or a SQLite handle, read through the SQLite
 * access. `observe`: the answers for /metrics and /healthz (serve passes them; other callers need not).
 */
export async function startWeb(config: Config, store: Db | WebAccess, log: Logger, observe?: ObservePages): Promise<WebServer> {
  const access = 'engine' in store ? store : sqliteAccess(store);
  const web = config.web;
  const tls = web.tls;
  const secure = Boolean(tls.cert && tls.key);
  let key: SigningKey | undefined;
  const app = createApp({
    access,
    config,
    log,
    secure,
    ...(observe ? { observe } : {}),
    // Made on first use, not at start: a collector that never exports never holds a key.
    signingKey: () => (key ??= loadOrCreateSigningKey(signingKeyPath(config))),
  });
  const server: Server = secure
    ? createHttps(
        {
          cert: readFile(tls.cert!, 'web.tls.cert'),
          key: readFile(tls.key!, 'web.tls.key'),
          ...(tls.keyPassphrase !== undefined ? { passphrase: resolveSecret(tls.keyPassphrase, 'web.tls.keyPassphrase') } : {}),
          minVersion: 'TLSv1.2',
        },
        app,
      )
    : createHttp(app);
  // Slow clients cannot hold connections open for long.
  server.headersTimeout = 20_000;
  server.requestTimeout = 120_000;
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(web.port, web.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.address.includes(':') ? `[${address.address}]` : address.address;
  const url = `${secure ? 'https' : 'http'}://${host}:${address.port}`;
  const limits = { idleMs: web.sessionIdleMinutes * 60_000, maxMs: web.sessionMaxHours * 3_600_000 };
  const prune = setInterval(() => {
    access.pruneSessions(Date.now(), limits).catch((err: unknown) => log.warn({ err }, 'expired web sessions could not be removed'));
  }, 3_600_000);
  prune.unref();
  if (!secure) log.warn({ url }, 'web interface served over plain HTTP: set web.tls.cert and web.tls.key for HTTPS');
  if ((await access.userCount()) === 0) log.warn('no web users yet: add one with `aaawatch user add NAME --role admin`');
  return {
    url,
    address: address.address,
    port: address.port,
    listening: () => server.listening,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(prune);
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
