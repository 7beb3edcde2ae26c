// A webhook destination for alert tests: a local HTTP server that keeps every alert posted to it.

import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AlertPayload } from '../../src/reconcile/alerts.js';

export interface WebhookReceiver {
  /** The URL to configure as `reconcile.alerts.webhooks[].url`. */
  url: string;
  /** Every alert received, in arrival order. */
  received: AlertPayload[];
  close(): void;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: AlertPayload[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      received.push(JSON.parse(body) as AlertPayload);
      res.writeHead(204).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/alerts`, received, close: () => server.close() };
}
