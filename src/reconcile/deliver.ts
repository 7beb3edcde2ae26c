// Sending alerts: syslog to a SIEM over UDP (RFC 5426), TCP (RFC 6587, octet-counted or LF) or
// TLS (RFC 5425, octet-counted), and JSON webhooks (optionally HMAC-signed). Each send resolves
// when the message has left (UDP), the connection closed cleanly after writing (TCP, TLS), or the
// webhook answered 2xx; anything else rejects, and the outbox retries it.

import { createHmac } from 'node:crypto';
import dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import { ConfigError, resolveSecret } from '../config/load.js';
import type { AlertsConfig, SyslogDestinationConfig, WebhookDestinationConfig } from '../config/reconcile.js';
import { syslogMessage, type AlertDestination, type AlertPayload } from './alerts.js';

function readFile(path: string, key: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new ConfigError([`${key}: cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`]);
  }
}

function frame(text: string, framing: 'octet-counting' | 'lf'): Buffer {
  const body = Buffer.from(text, 'utf8');
  return framing === 'lf' ? Buffer.concat([body, Buffer.from('\n')]) : Buffer.concat([Buffer.from(`${body.length} `), body]);
}

/** Write one frame on a new stream connection and close it; rejects on any error or timeout. */
function writeStream(connect: () => net.Socket, data: Buffer, timeoutMs: number, ready: 'connect' | 'secureConnect'): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect();
    let settled = false;
    const done = (err?: Error): void => {
      if (settled) return;
      settled = true;
      socket.destroy();
      if (err) reject(err);
      else resolve();
    };
    socket.setTimeout(timeoutMs, () => done(new Error(`no answer within ${timeoutMs} ms`)));
    socket.once('error', (err) => done(err));
    socket.once(ready, () => {
      socket.end(data, () => done());
    });
  });
}

function syslogDestination(c: SyslogDestinationConfig, index: number, timeoutMs: number): AlertDestination {
  const name = c.name ?? `syslog-${c.host}:${c.port}`;
  const format = { format: c.format, facility: c.facility };
  const key = `reconcile.alerts.syslog[${index}]`;
  if (c.transport === 'udp') {
    const socket = dgram.createSocket(net.isIP(c.host) === 6 ? 'udp6' : 'udp4');
    socket.on('error', () => {
      // An unconnected UDP socket reports ICMP errors asynchronously; the send callback has already answered.
    });
    socket.unref();
    return {
      name,
      send: (a: AlertPayload) =>
        new Promise((resolve, reject) => socket.send(Buffer.from(syslogMessage(a, format), 'utf8'), c.port, c.host, (err) => (err ? reject(err) : resolve()))),
      close: () => socket.close(),
    };
  }
  if (c.transport === 'tcp') {
    return {
      name,
      send: (a) => writeStream(() => net.connect({ host: c.host, port: c.port }), frame(syslogMessage(a, format), c.framing), timeoutMs, 'connect'),
    };
  }
  const options: tls.ConnectionOptions = {
    host: c.host,
    port: c.port,
    servername: c.serverName ?? (net.isIP(c.host) ? undefined : c.host),
    ...(c.ca ? { ca: readFile(c.ca, `${key}.ca`) } : {}),
    ...(c.cert && c.key ? { cert: readFile(c.cert, `${key}.cert`), key: readFile(c.key, `${key}.key`) } : {}),
    ...(c.keyPassphrase ? { passphrase: resolveSecret(c.keyPassphrase, `${key}.keyPassphrase`) } : {}),
  };
  return {
    name,
    // RFC 5425: TLS transport is always octet-counted.
    send: (a) => writeStream(() => tls.connect(options), frame(syslogMessage(a, format), 'octet-counting'), timeoutMs, 'secureConnect'),
  };
}

function webhookDestination(c: WebhookDestinationConfig, index: number, timeoutMs: number): AlertDestination {
  const key = `reconcile.alerts.webhooks[${index}]`;
  const url = typeof c.url === 'string' ? c.url : resolveSecret(c.url, `${key}.url`);
  if (!/^https?:\/\//i.test(url)) throw new ConfigError([`${key}.url: must be an http or https URL`]);
  const headers: Record<string, string> = {};
  for (const [h, v] of Object.entries(c.headers)) headers[h] = resolveSecret(v, `${key}.headers.${h}`);
  const hmac = c.hmacSecret ? resolveSecret(c.hmacSecret, `${key}.hmacSecret`) : undefined;
  return {
    // Never the URL: it may carry a token.
    name: c.name ?? `webhook-${index + 1}`,
    async send(a) {
      const body = JSON.stringify(a);
      const signature: Record<string, string> = hmac ? { 'X-Aaawatch-Signature': `sha256=${createHmac('sha256', hmac).update(body).digest('hex')}` } : {};
      let res: Response;
      try {
        res = await fetch(url, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'User-Agent': 'aaawatch', ...headers, ...signature },
          body,
          signal: AbortSignal.timeout(timeoutMs),
          redirect: 'error',
        });
      } catch (err) {
        // fetch says only "fetch failed"; the reason (ECONNREFUSED, a timeout) is in its cause.
        const cause = (err as { cause?: { code?: string; message?: string } }).cause;
        throw new Error(`${err instanceof Error ? err.message : String(err)}${cause ? `: ${cause.code ?? cause.message}` : ''}`);
      }
      // The body is the receiver's business; only the status is kept (it cannot carry our secrets back).
      await res.body?.cancel();
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
    },
  };
}

/** Every configured destination (secrets and certificate files read now, so mistakes show at start). */
export function destinationsFrom(c: AlertsConfig): AlertDestination[] {
  const timeoutMs = c.timeoutSeconds * 1000;
  const out = [...c.syslog.map((s, i) => syslogDestination(s, i, timeoutMs)), ...c.webhooks.map((w, i) => webhookDestination(w, i, timeoutMs))];
  const names = new Set<string>();
  for (const d of out) {
    if (names.has(d.name)) throw new ConfigError([`reconcile.alerts: two destinations are named ${d.name}; give one a name`]);
    names.add(d.name);
  }
  return out;
}
