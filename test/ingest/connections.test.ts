// Pausing and resting connections, on real sockets.

import net from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Connections, FULL_READ } from '../../src/ingest/connections.js';

let cleanup: Array<() => void> = [];
afterEach(() => {
  vi.useRealTimers();
  for (const c of cleanup.splice(0)) c();
});

/** A connected pair: the server side, flowing, and the client. */
async function pair(): Promise<{ server: net.Socket; client: net.Socket }> {
  const listener = net.createServer();
  await new Promise<void>((r) => listener.listen(0, '127.0.0.1', r));
  const accepted = new Promise<net.Socket>((r) => listener.once('connection', r));
  const client = net.connect((listener.address() as net.AddressInfo).port, '127.0.0.1');
  const server = await accepted;
  server.on('data', () => {});
  cleanup.push(() => (client.destroy(), server.destroy(), listener.close()));
  return { server, client };
}

describe('connections', () => {
  it('a read that emptied the queue rests the connection for a moment; a full read does not', async () => {
    const c = new Connections();
    const { server } = await pair();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    c.add(server);
    c.afterRead(server, FULL_READ);
    expect(server.isPaused()).toBe(false);
    c.afterRead(server, 183);
    expect(server.isPaused()).toBe(true);
    vi.advanceTimersByTime(1);
    expect(server.isPaused()).toBe(false);
  });

  it('a connection paused for the store while it rests stays paused until the store catches up', async () => {
    const c = new Connections();
    const { server } = await pair();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    c.add(server);
    c.afterRead(server, 183);
    c.setPaused(true);
    vi.advanceTimersByTime(1000);
    expect(server.isPaused()).toBe(true);
    c.setPaused(false);
    expect(server.isPaused()).toBe(false);
  });

  it('a connection added while paused starts paused', async () => {
    const c = new Connections();
    c.setPaused(true);
    const { server } = await pair();
    c.add(server);
    expect(server.isPaused()).toBe(true);
  });
});
