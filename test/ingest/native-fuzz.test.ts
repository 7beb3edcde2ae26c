// Hostile input for the native accounting decoders: at least 100,000 random and mutated packets
// each for TACACS+ and RADIUS on every CI run, seeded so a failure names a reproducible input.
// Nothing may throw, and every input must come out as exactly one outcome (accepted, refused, a
// wrong key, or a named malformation), or, for a TACACS+ packet cut short, as bytes still pending
// (the listener counts those as `tacacs-truncated` when the connection ends). Then a few thousand
// of the same inputs through the real sockets, where every one must show up in a counter.

import dgram from 'node:dgram';
import { createHash } from 'node:crypto';
import net from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Conversation } from '../../src/ingest/tacacs/conversation.js';
import { obfuscate, writeHeader, type Header } from '../../src/ingest/tacacs/packet.js';
import { readAccounting as readTacacs } from '../../src/ingest/tacacs/records.js';
import { accountingRequestValid, messageAuthenticatorValid, readPacket } from '../../src/ingest/radius/packet.js';
import { accountingFacts, readAccounting as readRadius, SessionTable } from '../../src/ingest/radius/records.js';
import { PacketFramer } from '../../src/ingest/radius/radsec.js';
import { CORPUS } from '../support/corpus.js';
import { mulberry32 } from '../support/random.js';
import { startTestIngest, type TestIngest } from '../support/ingest.js';
import { NativeDevices } from '../../src/ingest/native/device.js';

/** The device resolution hostile NAS attributes go through (a proxy's: every name is looked up). */
const FUZZ_DEVICES = new NativeDevices([{ name: 'core-sw1', address: '192.0.2.12', platform: 'cisco-ios', groups: [], port: 22, pull: false }], ['192.0.2.0/24']);

const SEED = Number(process.env.FUZZ_SEED ?? 20261202);
const CASES = 100_000;
const KEY = Buffer.from('fuzz-key');
const hostile = readFileSync(join(CORPUS, 'hostile-strings.txt'), 'utf8').split('\n').filter(Boolean);

let t: TestIngest | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

function mutate(b: Buffer, rnd: () => number): Buffer {
  let out = Buffer.from(b);
  const n = 1 + Math.floor(rnd() * 4);
  for (let k = 0; k < n; k++) {
    const at = Math.floor(rnd() * (out.length + 1));
    switch (Math.floor(rnd() * 6)) {
      case 0: if (at < out.length) out[at] = Math.floor(rnd() * 256); break;
      case 1: out = Buffer.concat([out.subarray(0, at), out.subarray(Math.min(out.length, at + 1 + Math.floor(rnd() * 8)))]); break;
      case 2: out = out.subarray(0, at); break;
      case 3: out = Buffer.concat([out.subarray(0, at), Buffer.from(Array.from({ length: 1 + Math.floor(rnd() * 16) }, () => Math.floor(rnd() * 256))), out.subarray(at)]); break;
      case 4: if (at < out.length) out[at] = [0, 1, 0x7f, 0x80, 0xff][Math.floor(rnd() * 5)]!; break;
      default: out = Buffer.concat([out, out.subarray(at)]); break;
    }
  }
  return out;
}

const randomBytes = (rnd: () => number, max: number): Buffer => Buffer.from(Array.from({ length: Math.floor(rnd() * max) }, () => Math.floor(rnd() * 256)));

// --- TACACS+ ------------------------------------------------------------------------------------

function tacacsAccounting(rnd: () => number): Buffer {
  const pick = (): string => hostile[Math.floor(rnd() * hostile.length)]!.slice(0, 80);
  const args = ['task_id=' + Math.floor(rnd() * 1e6), 'service=shell', rnd() < 0.5 ? `cmd=${pick()}` : 'stop_time=' + Math.floor(rnd() * 2e9), `priv-lvl=${Math.floor(rnd() * 20)}`]
    .map((a) => Buffer.from(a).subarray(0, 255));
  const [user, port, rem] = [pick(), 'tty' + Math.floor(rnd() * 9), rnd() < 0.5 ? '10.0.0.' + Math.floor(rnd() * 255) : pick()].map((s) => Buffer.from(s).subarray(0, 255));
  const type = rnd() < 0.8 ? 3 : rnd() < 0.5 ? 1 : 2;
  const lengths = [user!.length, port!.length, rem!.length];
  const priv = Math.floor(rnd() * 16);
  // Accounting REQUEST, authentication START (a password as data), authorisation REQUEST (RFC 8907 §7.1, §5.1, §6.1).
  const fixed = type === 3 ? [[0x02, 0x04, 0x08, 0x0a][Math.floor(rnd() * 4)]!, 6, priv, 1, 1, ...lengths, args.length, ...args.map((a) => a.length)]
    : type === 1 ? [1, priv, 1, 1, ...lengths, 8]
    : [6, priv, 1, 1, ...lengths, args.length, ...args.map((a) => a.length)];
  const body = Buffer.concat([Buffer.from(fixed), user!, port!, rem!, ...(type === 1 ? [Buffer.from('password')] : args)]);
  const h: Header = { version: 0xc0, type, seq: 1, flags: rnd() < 0.3 ? 4 : 0, session: Math.floor(rnd() * 2 ** 32), length: body.length };
  return Buffer.concat([writeHeader(h), obfuscate(body, h, KEY)]);
}

function tacacsInputs(rnd: () => number): Buffer[] {
  const vectors = ['freeradius-acct-start.request.hex', 'freeradius-authen-start-pap.request.hex', 'freeradius-author-request.request.hex', 'freeradius-author-unencrypted.request.hex']
    .map((f) => Buffer.from(readFileSync(join(CORPUS, 'native', 'tacacs', f), 'utf8').trim().split(/\s+/).map((x) => parseInt(x, 16))));
  const inputs: Buffer[] = [];
  for (let i = 0; i < CASES; i++) {
    const r = rnd();
    if (r < 0.15) inputs.push(randomBytes(rnd, 300));
    else if (r < 0.25) inputs.push(mutate(vectors[Math.floor(rnd() * vectors.length)]!, rnd));
    else if (r < 0.4) inputs.push(tacacsAccounting(rnd));
    else inputs.push(mutate(tacacsAccounting(rnd), rnd));
  }
  return inputs;
}

const TACACS_OUTCOMES = new Set(['accounting', 'refused', 'bad-key', 'malformed']);

describe(`fuzz: TACACS+ (seed ${SEED})`, () => {
  it(`${CASES.toLocaleString('en-US')} packets, in random chunks: no throw; each one step, or bytes pending when cut short`, () => {
    const rnd = mulberry32(SEED);
    const inputs = tacacsInputs(rnd);
    const seen = new Map<string, number>();
    for (const [i, input] of inputs.entries()) {
      // No bytes, no packet: a connection that sends nothing is an idle timeout, not an input.
      if (input.length === 0) continue;
      const c = new Conversation({ keys: [KEY], tls: false, singleConnection: true, maxBodyBytes: 4096 });
      const steps = [];
      for (let at = 0; at < input.length; ) {
        const size = 1 + Math.floor(rnd() * (rnd() < 0.2 ? 16 : 512));
        steps.push(...c.push(input.subarray(at, at + size)));
        at += size;
      }
      const complete = input.length >= 12 && input.length >= 12 + input.readUInt32BE(8);
      if (steps.length === 0) {
        // Messages are built only on failure: 100,000 hex strings would cost more than the decoding.
        if (c.pending === 0 || complete) expect.fail(`input ${i} (${input.toString('hex')}) made no step (pending ${c.pending})`);
        seen.set('pending', (seen.get('pending') ?? 0) + 1);
        continue;
      }
      const first = steps[0]!;
      if (!TACACS_OUTCOMES.has(first.kind)) expect.fail(`input ${i}: step ${first.kind}`);
      const outcome = first.kind === 'malformed' ? first.reason : first.kind;
      seen.set(outcome, (seen.get(outcome) ?? 0) + 1);
      if (first.kind === 'accounting') {
        const reading = readTacacs(first.header, first.request, { device: 'fuzz', cli: 'relayed', receivedAt: 1_800_000_000_000 });
        for (const r of reading.records) if (Number.isNaN(Date.parse(r.time))) expect.fail(`record time of input ${i}: ${r.time}`);
        if (reading.raw.includes('\n')) expect.fail(`input ${i}: the rendering is not one line`);
        first.reply(true);
      }
    }
    // Every kind of outcome occurred: the inputs reached each branch.
    for (const k of ["accounting", "refused", "bad-key", "pending", "tacacs-bad-version"]) expect(seen.get(k) ?? 0, `${k} in ${JSON.stringify([...seen])}`).toBeGreaterThan(0);
  });
});

// --- RADIUS -------------------------------------------------------------------------------------

const SECRET = Buffer.from('fuzz-secret');

function attr(type: number, value: Buffer): Buffer {
  return Buffer.concat([Buffer.from([type, value.length + 2]), value]);
}

function vsa(vendor: number, type: number, value: Buffer): Buffer {
  const v = Buffer.alloc(4);
  v.writeUInt32BE(vendor);
  return attr(26, Buffer.concat([v, Buffer.from([type, value.length + 2]), value]));
}

const u32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
};

/** Sets a valid Request Authenticator (RFC 2866 §3) on an Accounting-Request, so mutants reach the attribute decoding. */
function sign(p: Buffer): Buffer {
  if (p.length < 20) return p;
  const length = Math.min(p.readUInt16BE(2), p.length);
  const out = Buffer.from(p);
  out.fill(0, 4, 20);
  createHash('md5').update(out.subarray(0, Math.max(20, length))).update(SECRET).digest().copy(out, 4);
  return out;
}

function radiusAccounting(rnd: () => number): Buffer {
  const pick = (): Buffer => Buffer.from(hostile[Math.floor(rnd() * hostile.length)]!).subarray(0, 80);
  const attrs = [
    attr(40, u32([1, 2, 3, 7, 8][Math.floor(rnd() * 5)]!)),
    attr(1, pick()),
    attr(44, Buffer.from('s' + Math.floor(rnd() * 100))),
    attr(32, pick()),
    attr(6, u32(Math.floor(rnd() * 12))),
    vsa(9, 1, Buffer.from(rnd() < 0.5 ? 'shell:priv-lvl=' + Math.floor(rnd() * 16) : 'cmd=' + pick().toString())),
    vsa(2636, 8, pick()),
    attr(55, u32(Math.floor(rnd() * 2 ** 32))),
    attr(41, u32(Math.floor(rnd() * 2 ** 32))),
    attr(46, u32(Math.floor(rnd() * 2 ** 32))),
  ].filter(() => rnd() < 0.8);
  const body = Buffer.concat(attrs);
  const head = Buffer.alloc(20);
  head[0] = rnd() < 0.9 ? 4 : [1, 12, 5, 40][Math.floor(rnd() * 4)]!;
  head[1] = Math.floor(rnd() * 256);
  head.writeUInt16BE(20 + body.length, 2);
  return sign(Buffer.concat([head, body]));
}

describe(`fuzz: RADIUS (seed ${SEED})`, () => {
  it(`${CASES.toLocaleString('en-US')} datagrams: no throw; each one outcome`, () => {
    const rnd = mulberry32(SEED + 1);
    const captures = ['cisco_accounting.packet', 'motorola_accounting.packet'].map((f) => readFileSync(join(CORPUS, 'native', 'radius', f)));
    const sessions = new SessionTable(1000);
    const seen = new Map<string, number>();
    for (let i = 0; i < CASES; i++) {
      const r = rnd();
      const input = r < 0.15 ? randomBytes(rnd, 300)
        : r < 0.25 ? mutate(captures[Math.floor(rnd() * captures.length)]!, rnd)
        : r < 0.4 ? radiusAccounting(rnd)
        : r < 0.7 ? sign(mutate(radiusAccounting(rnd), rnd))
        : mutate(radiusAccounting(rnd), rnd);
      let outcome: string;
      const p = readPacket(input);
      if (typeof p === 'string') outcome = p;
      else if (p.code === 4) {
        if (!accountingRequestValid(p, SECRET)) outcome = 'bad-authenticator';
        else {
          const facts = accountingFacts(p);
          const reading = readRadius(p, facts, { device: FUZZ_DEVICES.resolve('192.0.2.1', facts.nasIdentifier, facts.nasAddress).device, cli: 'relayed', receivedAt: 1_800_000_000_000 }, sessions);
          for (const rec of reading.records) if (Number.isNaN(Date.parse(rec.time))) expect.fail(`record time of input ${i}: ${input.toString('hex')}`);
          if (reading.raw.includes('\n')) expect.fail(`input ${i}: the rendering is not one line`);
          outcome = 'accepted';
        }
      } else if (p.code === 12) outcome = messageAuthenticatorValid(p, SECRET) ? 'status-server' : 'status-server-unsigned';
      else outcome = 'unexpected-code';
      seen.set(outcome, (seen.get(outcome) ?? 0) + 1);
    }
    expect([...seen.values()].reduce((a, b) => a + b, 0)).toBe(CASES);
    for (const k of ['accepted', 'bad-authenticator', 'radius-short', 'radius-bad-attribute', 'unexpected-code']) expect(seen.get(k) ?? 0, `${k} in ${JSON.stringify([...seen])}`).toBeGreaterThan(0);
    expect(sessions.size).toBeLessThanOrEqual(1000);
  });

  it(`RadSec framing: ${CASES.toLocaleString('en-US')} packets on streams cut in random chunks: no throw; packets as framed, bounded, every byte accounted for`, () => {
    const rnd = mulberry32(SEED + 2);
    let framer = new PacketFramer();
    let stream: Buffer[] = [];
    let out: Buffer[] = [];
    const outcomes = { packets: 0, bad: 0 };
    /** What the framer gave and holds is exactly what was sent, in order. */
    const check = (): void => {
      const sent = Buffer.concat(stream);
      const got = Buffer.concat([...out, framer.buffered]);
      if (!sent.subarray(0, got.length).equals(got) || got.length !== sent.length) expect.fail(`stream of ${sent.length} bytes framed as ${got.length}`);
    };
    for (let i = 0; i < CASES; i++) {
      const r = rnd();
      const packet = r < 0.1 ? randomBytes(rnd, 300) : r < 0.3 ? mutate(radiusAccounting(rnd), rnd) : radiusAccounting(rnd);
      // In one to three chunks, cut anywhere.
      const cuts = [0, ...Array.from({ length: Math.floor(rnd() * 3) }, () => Math.floor(rnd() * (packet.length + 1))).sort((a, b) => a - b), packet.length];
      for (let c = 1; c < cuts.length; c++) {
        const chunk = packet.subarray(cuts[c - 1]!, cuts[c]!);
        stream.push(chunk);
        const { packets, bad } = framer.push(chunk);
        for (const p of packets) {
          const length = p.readUInt16BE(2);
          if (p.length !== length || length < 20 || length > 4096) expect.fail(`input ${i}: a packet of ${p.length} bytes framed with Length ${length}`);
          out.push(p);
          outcomes.packets++;
        }
        if (framer.buffered.length >= 4096) expect.fail(`input ${i}: ${framer.buffered.length} bytes held`);
        if (bad) {
          // The connection closes: what was framed, then the rest from the bad Length on, is the whole stream.
          const sent = Buffer.concat(stream);
          if (!Buffer.concat([...out, bad]).equals(sent.subarray(0, Buffer.concat(out).length + bad.length))) expect.fail(`input ${i}: bytes lost before a bad Length`);
          outcomes.bad++;
          framer = new PacketFramer();
          stream = [];
          out = [];
          break;
        }
      }
      if (stream.length > 0 && i % 97 === 0) check();
    }
    expect(outcomes.packets).toBeGreaterThan(CASES / 2);
    expect(outcomes.bad).toBeGreaterThan(0);
  });
});

// --- Through the sockets --------------------------------------------------------------------------

/** The sum of every counter that names an outcome of a native request (everything but `received.*`). */
function outcomes(db: TestIngest['db'], transport: 'tacacs' | 'radius'): number {
  const rows = db.prepare('SELECT name, value FROM counters').all() as Array<{ name: string; value: number }>;
  // A connection error (the client gone before its answer) comes on top of the packet's own outcome.
  const counted = rows.filter((r) => (r.name.startsWith(`rejected.${transport}-`) && r.name !== 'rejected.tacacs-connection-error') ||
    r.name === `duplicate.${transport}` || r.name === `${transport}.status-server` || r.name === `errors.${transport}-not-stored`);
  const accepted = (db.prepare('SELECT coalesce(sum(accepted), 0) AS n FROM native_senders WHERE transport = ?').get(transport) as { n: number }).n;
  return counted.reduce((a, r) => a + r.value, 0) + accepted;
}

describe('fuzz through the sockets: every input is counted', () => {
  it('RADIUS: 3,000 hostile datagrams, each counted as received and as exactly one outcome', async () => {
    process.env.AAAWATCH_FUZZ_SECRET = SECRET.toString();
    t = await startTestIngest((c) => {
      c.ingest.radius.port = 0;
      c.ingest.radius.secrets = [{ devices: [], sources: ['127.0.0.1'], secret: { env: 'AAAWATCH_FUZZ_SECRET' } }];
    });
    const rnd = mulberry32(SEED + 2);
    const s = dgram.createSocket('udp4');
    await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
    const n = 3000;
    for (let i = 0; i < n; i++) {
      const r = rnd();
      const d = r < 0.3 ? randomBytes(rnd, 200) : r < 0.6 ? sign(mutate(radiusAccounting(rnd), rnd)) : r < 0.8 ? radiusAccounting(rnd) : mutate(radiusAccounting(rnd), rnd);
      await new Promise<void>((res) => s.send(d, t!.ingest.native.radius!.port, '127.0.0.1', () => res()));
      if (i % 200 === 0) await new Promise((res) => setTimeout(res, 5));
    }
    s.close();
    await t.until(() => t!.counter('received.radius') === n && outcomes(t!.db, 'radius') === n, 20_000);
  });

  it('TACACS+: 400 connections with a hostile packet each, every one counted', async () => {
    process.env.AAAWATCH_FUZZ_KEY = KEY.toString();
    t = await startTestIngest((c) => {
      c.ingest.tacacs.port = 0;
      c.ingest.tacacs.keys = [{ devices: [], sources: ['127.0.0.1'], key: { env: 'AAAWATCH_FUZZ_KEY' } }];
    });
    const rnd = mulberry32(SEED + 3);
    const n = 400;
    let complete = 0;
    for (let i = 0; i < n; i++) {
      const r = rnd();
      const p = r < 0.3 ? tacacsAccounting(rnd) : mutate(tacacsAccounting(rnd), rnd);
      if (p.length === 0) continue;
      complete++;
      await new Promise<void>((resolve) => {
        const s = net.connect(t!.ingest.native.tacacs!.port, '127.0.0.1', () => s.end(p));
        s.on('data', () => {});
        s.on('error', () => resolve());
        s.on('close', () => resolve());
      });
    }
    // Each connection has at least one outcome: a packet read (accepted, refused, wrong key, malformed)
    // or cut short; a mutant that repeats its own bytes may hold a second packet.
    await t.until(() => outcomes(t!.db, 'tacacs') >= complete, 20_000);
    expect(t.counter('received.tacacs') + t.counter('rejected.tacacs-truncated')).toBeGreaterThanOrEqual(complete);
  });
});
