// Datagrams read in batches (recvmmsg) and answers sent in batches (sendmmsg), against real sockets:
// a burst queued in the kernel while the reading process is busy is read in arrival order with
// each sender's address and port spelled as Node spells them, a datagram longer than a slot is read
// up to it, and every answer reaches its sender. The same with Node's own calls (the fallback).

import { spawnSync } from 'node:child_process';
import dgram from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { readDatagrams, type DatagramIo, type SockaddrEntry } from '../../src/ingest/datagram-io.js';
import { freePort } from '../support/ports.js';

interface Read {
  text: string;
  length: number;
  address: string;
  port: number;
  sockaddr: SockaddrEntry | undefined;
}

const sockets: dgram.Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) await new Promise<void>((r) => s.close(() => r()));
});

async function bound(type: 'udp4' | 'udp6', host: string, port = 0): Promise<dgram.Socket> {
  const s = dgram.createSocket({ type, ipv6Only: false });
  sockets.push(s);
  await new Promise<void>((r) => s.bind(port, host, () => r()));
  return s;
}

function server(socket: dgram.Socket, batched: boolean, slotBytes = 64, slots = 8): { io: DatagramIo; reads: Read[] } {
  const reads: Read[] = [];
  const io = readDatagrams(socket, (bytes, address, port, sockaddr) => reads.push({ text: bytes.toString('latin1'), length: bytes.length, address, port, sockaddr }), { slotBytes, slots, batched });
  return { io, reads };
}

/**
 * Sends `payloads` from a separate process bound to `from` (host, port), and waits for it to end:
 * this process's event loop is blocked meanwhile, so all of them are queued in the kernel before
 * the server reads the first.
 */
function sendWhileBusy(to: { host: string; port: number }, from: { type: 'udp4' | 'udp6'; host: string; port: number }, payloads: string[]): void {
  const script = `
    const dgram = require('node:dgram');
    const [to, from, payloads] = JSON.parse(process.argv[1]);
    const s = dgram.createSocket({ type: from.type });
    s.bind(from.port, from.host, () => {
      let left = payloads.length;
      for (const p of payloads) s.send(Buffer.from(p, 'latin1'), to.port, to.host, () => { if (--left === 0) s.close(); });
    });`;
  const r = spawnSync(process.execPath, ['-e', script, JSON.stringify([to, from, payloads])], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
}

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const payloads = [...Array.from({ length: 100 }, (_, i) => `m${i}`), 'x'.repeat(200), 'last'];

describe('datagrams read and answered in batches', () => {
  it('uses recvmmsg and sendmmsg on this machine (Linux, 64-bit)', async () => {
    const { io } = server(await bound('udp4', '127.0.0.1'), true);
    expect(io.calls).toBe('recvmmsg');
  });

  for (const batched of [true, false]) {
    it(`${batched ? 'recvmmsg' : "Node's calls"}: a burst is read in order, a long datagram up to the slot, and every answer reaches its sender`, async () => {
      const socket = await bound('udp4', '127.0.0.1');
      const { io, reads } = server(socket, batched);
      const port = await freePort();
      sendWhileBusy({ host: '127.0.0.1', port: socket.address().port }, { type: 'udp4', host: '127.0.0.1', port }, payloads);
      await until(() => reads.length === payloads.length, 'the burst');

      expect(reads.map((r) => r.text)).toEqual(payloads.map((p) => p.slice(0, 64)));
      expect(reads.every((r) => r.address === '127.0.0.1' && r.port === port)).toBe(true);
      // The first is read by libuv (it is what says the socket is readable), the rest in batches of 8.
      expect(reads.filter((r) => r.sockaddr !== undefined).length).toBe(batched ? payloads.length - 1 : 0);

      // The answers: one each (past the 8 a batch holds, and one longer than a slot, which Node sends).
      const client = await bound('udp4', '127.0.0.1', port);
      const answers: string[] = [];
      client.on('message', (m) => answers.push(m.toString('latin1')));
      const sent = reads.map((r, i) => (i === 50 ? `a${i}${'y'.repeat(100)}` : `a${i}`));
      reads.forEach((r, i) => io.send(Buffer.from(sent[i]!, 'latin1'), r));
      await until(() => answers.length === reads.length, 'the answers');
      expect([...answers].sort()).toEqual([...sent].sort());
      // Those with the kernel's address go together in order; the first (read by libuv, whose
      // address is only text) and the long one by Node's send, in a later turn.
      const node = batched ? [0, 50] : [];
      expect(answers.filter((a) => !node.some((i) => a === sent[i]))).toEqual(sent.filter((_, i) => !node.includes(i)));

      // A second burst from the same sender: its first, read by libuv, is found by its text, so
      // every datagram now carries the kernel's address and every answer goes by sendmmsg, in order.
      await new Promise<void>((r) => client.close(() => r()));
      sockets.splice(sockets.indexOf(client), 1);
      reads.length = 0;
      sendWhileBusy({ host: '127.0.0.1', port: socket.address().port }, { type: 'udp4', host: '127.0.0.1', port }, payloads.slice(0, 20));
      await until(() => reads.length === 20, 'the second burst');
      expect(reads.filter((r) => r.sockaddr !== undefined).length).toBe(batched ? 20 : 0);
      const again = await bound('udp4', '127.0.0.1', port);
      const second: string[] = [];
      again.on('message', (m) => second.push(m.toString('latin1')));
      reads.forEach((r, i) => io.send(Buffer.from(`b${i}`), r));
      await until(() => second.length === 20, 'the second answers');
      expect(second).toEqual(reads.map((_, i) => `b${i}`));
    });
  }

  it('answers given just before a close are not sent on a descriptor that is no longer the socket', async () => {
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((r) => socket.bind(0, '127.0.0.1', () => r()));
    const reads: Array<{ address: string; port: number; sockaddr: SockaddrEntry | undefined }> = [];
    const errors: number[] = [];
    const io = readDatagrams(socket, (_b, address, port, sockaddr) => reads.push({ address, port, sockaddr }), { slotBytes: 64, slots: 8, onSendError: (e) => errors.push(e) });
    const port = await freePort();
    sendWhileBusy({ host: '127.0.0.1', port: socket.address().port }, { type: 'udp4', host: '127.0.0.1', port }, ['a', 'b', 'c']);
    await until(() => reads.length === 3, 'three datagrams');
    const client = await bound('udp4', '127.0.0.1', port);
    const answers: string[] = [];
    client.on('message', (m) => answers.push(m.toString()));
    // Queued for the end of the turn, then the socket closes in the same turn.
    reads.filter((r) => r.sockaddr).forEach((r) => io.send(Buffer.from('late'), r));
    socket.close();
    await new Promise((r) => setTimeout(r, 50));
    expect(errors).toEqual([]);
    expect(answers).toEqual([]);
  });

  it('a dual-stack socket spells IPv4 and IPv6 senders as Node does', async () => {
    const names = async (batched: boolean): Promise<Array<[string, number]>> => {
      const socket = await bound('udp6', '::');
      const { reads } = server(socket, batched);
      const p4 = await freePort();
      const p6 = await freePort();
      sendWhileBusy({ host: '127.0.0.1', port: socket.address().port }, { type: 'udp4', host: '127.0.0.1', port: p4 }, ['a', 'b']);
      sendWhileBusy({ host: '::1', port: socket.address().port }, { type: 'udp6', host: '::1', port: p6 }, ['c', 'd']);
      await until(() => reads.length === 4, 'four datagrams');
      // Both bursts were queued before this process read any: libuv reads the first, recvmmsg the rest.
      if (batched) expect(reads.filter((r) => r.sockaddr).length).toBe(3);
      return reads.map((r) => [r.address, r.port === p4 ? 4 : r.port === p6 ? 6 : 0]);
    };
    const expected: Array<[string, number]> = [
      ['::ffff:127.0.0.1', 4],
      ['::ffff:127.0.0.1', 4],
      ['::1', 6],
      ['::1', 6],
    ];
    expect(await names(false)).toEqual(expected);
    expect(await names(true)).toEqual(expected);
  });
});
