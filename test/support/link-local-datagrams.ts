// Run inside a network namespace of its own whose loopback holds fe80::1 (test/ingest/
// datagram-io-link-local.test.ts starts it so): a burst of datagrams from a link-local sender,
// read by readDatagrams with recvmmsg, each answered with send(). Prints, as JSON, each datagram's
// sender as the reader spelled it, whether it carried the kernel's address (read by recvmmsg), what
// Node's own socket spelled for the same sender, and the answers the sender got back.

import { spawnSync } from 'node:child_process';
import dgram from 'node:dgram';
import { readDatagrams, type SockaddrEntry } from '../../src/ingest/datagram-io.js';

const COUNT = 30;
const server = dgram.createSocket('udp6');
await new Promise<void>((r) => server.bind(0, '::', () => r()));
const reads: Array<{ address: string; port: number; sockaddr: SockaddrEntry | undefined }> = [];
const io = readDatagrams(server, (_bytes, address, port, sockaddr) => reads.push({ address, port, sockaddr }), { slotBytes: 64, slots: 8 });

// The burst from another process, sent while this one is blocked, so it is queued whole before the first read.
const client = dgram.createSocket('udp6');
await new Promise<void>((r) => client.bind(0, 'fe80::1%lo', () => r()));
const from = client.address().port;
client.close();
const send = `
  const s = require('node:dgram').createSocket('udp6');
  s.bind(${from}, 'fe80::1%lo', () => { let left = ${COUNT}; for (let i = 0; i < ${COUNT}; i++) s.send('m' + i, ${server.address().port}, 'fe80::1%lo', () => { if (--left === 0) s.close(); }); });`;
const sent = spawnSync(process.execPath, ['-e', send], { encoding: 'utf8' });
if (sent.status !== 0) throw new Error(sent.stderr);

const until = async (check: () => boolean): Promise<void> => {
  for (const deadline = Date.now() + 5000; !check(); ) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
};
await until(() => reads.length === COUNT);

// Node's own spelling of the same sender, for comparison.
const plain = dgram.createSocket('udp6');
const nodeSaid = new Promise<string>((resolve) => plain.once('message', (_m, r) => resolve(r.address)));
await new Promise<void>((r) => plain.bind(0, '::', () => r()));
const probe = dgram.createSocket('udp6');
await new Promise<void>((r) => probe.bind(from, 'fe80::1%lo', () => r()));
probe.send('probe', plain.address().port, 'fe80::1%lo');
const node = await nodeSaid;

const answers: string[] = [];
probe.on('message', (m) => answers.push(m.toString()));
reads.forEach((r, i) => io.send(Buffer.from(`a${i}`), r));
await until(() => answers.length === COUNT);

console.log(JSON.stringify({ calls: io.calls, node, reads: reads.map((r) => ({ address: r.address, port: r.port, kernel: r.sockaddr !== undefined })), from, answers }));
for (const s of [server, plain, probe]) s.close();
