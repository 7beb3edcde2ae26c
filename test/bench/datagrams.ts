// `npm run bench:datagrams`: what reading and answering UDP datagrams costs, recvmmsg/sendmmsg
// (src/ingest/datagram-io.ts) against Node's own calls (`batched: false`), nothing else on the
// path. A server answers every datagram (as the RADIUS listener answers a request); a client keeps
// IN_FLIGHT datagrams outstanding, sending one for each answer it reads. Server and client are
// processes of their own; the server's CPU (user + system) over a round, / datagrams answered, is
// the figure. The two kinds of server are alternated, order swapped each round; medians, and the
// ratio batched / Node's. The client reads and sends in batches whichever server it faces.

import { spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { readDatagrams, type Peer } from '../../src/ingest/datagram-io.js';
import { median, recordRow } from './record.js';

const DATAGRAMS = Number(process.env.BENCH_DATAGRAMS ?? 200_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 50);
/** About a RADIUS Accounting-Request's size, and an Accounting-Response's. */
const REQUEST = Buffer.alloc(180, 0x61);
const ANSWER = Buffer.alloc(20, 0x62);

type Kind = 'recvmmsg' | 'dgram';

function bound(): Promise<dgram.Socket> {
  const s = dgram.createSocket('udp4');
  return new Promise((resolve) => s.bind(0, '127.0.0.1', () => resolve(s)));
}

/** Child: the server. Prints its port, then, on 'report', datagrams answered and µs CPU each since the first. */
async function server(kind: Kind): Promise<void> {
  const socket = await bound();
  let n = 0;
  let start = process.cpuUsage();
  const io = readDatagrams(
    socket,
    (_bytes, address, port, sockaddr) => {
      if (n++ === 0) start = process.cpuUsage();
      io.send(ANSWER, { address, port, sockaddr });
    },
    { slotBytes: 4096, slots: 64, batched: kind === 'recvmmsg' },
  );
  if (io.calls !== kind) throw new Error(`asked for ${kind}, got ${io.calls}`);
  process.stdout.write(`${socket.address().port}\n`);
  process.stdin.once('data', () => {
    const used = process.cpuUsage(start);
    process.stdout.write(JSON.stringify({ n, us: (used.user + used.system) / n }) + '\n');
    process.exit(0);
  });
}

/** Child: the client, against the server at `port`. Prints the wall seconds once every answer is in. */
async function client(port: number): Promise<void> {
  const socket = await bound();
  let sent = 0;
  let answered = 0;
  const started = process.hrtime.bigint();
  // The server's address as the kernel gives it, from the first answer read in a batch: sends then go by sendmmsg too.
  let to: Peer = { address: '127.0.0.1', port };
  const io = readDatagrams(
    socket,
    (_bytes, address, from, sockaddr) => {
      if (sockaddr && !to.sockaddr) to = { address, port: from, sockaddr };
      answered++;
      if (sent < DATAGRAMS) {
        sent++;
        io.send(REQUEST, to);
      }
      if (answered === DATAGRAMS) {
        process.stdout.write(`${Number(process.hrtime.bigint() - started) / 1e9}\n`);
        process.exit(0);
      }
    },
    { slotBytes: 4096, slots: 64 },
  );
  for (; sent < IN_FLIGHT; sent++) io.send(REQUEST, to);
  // A datagram lost on loopback would stall the round: it fails instead.
  setTimeout(() => {
    process.stderr.write(`stalled: ${answered} of ${DATAGRAMS} answered\n`);
    process.exit(1);
  }, 120_000).unref();
}

function child(args: string[]): ChildProcess {
  return spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
}

function line(p: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const on = (d: Buffer): void => {
      text += d.toString();
      const nl = text.indexOf('\n');
      if (nl >= 0) {
        p.stdout!.off('data', on);
        resolve(text.slice(0, nl));
      }
    };
    p.stdout!.on('data', on);
    p.once('exit', (code) => reject(new Error(`child exited ${code}`)));
  });
}

async function round(kind: Kind): Promise<{ us: number; rate: number }> {
  const s = child(['--server', kind]);
  const port = Number(await line(s));
  const c = child(['--client', String(port)]);
  const seconds = Number(await line(c));
  const answer = line(s);
  s.stdin!.write('report\n');
  const { n, us } = JSON.parse(await answer) as { n: number; us: number };
  if (n !== DATAGRAMS) throw new Error(`the server answered ${n} of ${DATAGRAMS}`);
  return { us, rate: DATAGRAMS / seconds };
}

async function main(): Promise<void> {
  const got: Record<Kind, Array<{ us: number; rate: number }>> = { recvmmsg: [], dgram: [] };
  const loads: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    for (const kind of r % 2 === 0 ? (['dgram', 'recvmmsg'] as const) : (['recvmmsg', 'dgram'] as const)) {
      const g = await round(kind);
      got[kind].push(g);
      loads.push(loadavg()[0]!);
      console.log(`round ${r + 1} ${kind}: ${g.us.toFixed(2)} µs CPU a datagram answered, ${g.rate.toFixed(0)} datagrams/s`);
    }
  }
  const us = (k: Kind): number => median(got[k].map((g) => g.us));
  const rate = (k: Kind): number => median(got[k].map((g) => g.rate));
  const load = `${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}`;
  console.log(`median: Node's calls ${us('dgram').toFixed(2)} µs, ${rate('dgram').toFixed(0)}/s; recvmmsg/sendmmsg ${us('recvmmsg').toFixed(2)} µs, ${rate('recvmmsg').toFixed(0)}/s; CPU ${(us('recvmmsg') / us('dgram')).toFixed(2)}x; load ${load}`);
  recordRow(
    'bench:datagrams — UDP read and answered, recvmmsg/sendmmsg against Node\'s calls',
    ['µs CPU a datagram answered: Node / batched', 'ratio', 'datagrams/s: Node / batched', 'rounds, load'],
    [`${us('dgram').toFixed(2)} / ${us('recvmmsg').toFixed(2)}`, `${(us('recvmmsg') / us('dgram')).toFixed(2)}×`, `${rate('dgram').toFixed(0)} / ${rate('recvmmsg').toFixed(0)}`, `${ROUNDS}, ${load}`],
    `An echo server over src/ingest/datagram-io.ts in a process of its own, answering each of ${DATAGRAMS.toLocaleString('en')} datagrams of 180 bytes with 20, ${IN_FLIGHT} in flight from a client process that reads and sends in batches; the server's CPU (user + system) / datagrams answered; the two kinds of server alternated, order swapped each round; medians (test/bench/datagrams.ts).`,
  );
}

const args = process.argv.slice(2);
if (args[0] === '--server') await server(args[1] as Kind);
else if (args[0] === '--client') await client(Number(args[1]));
else await main();
