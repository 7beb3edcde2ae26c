// RELP: the framing and session rules (pure), the listener over real sockets with a client written
// from the specification (test/support/relp-client.ts), and rsyslog's omrelp as the real sender.

import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import tls from 'node:tls';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, type TestContext } from 'vitest';
import { encodeFrame, RelpFramer } from '../../src/ingest/relp/frame.js';
import { frameDigest, MAX_REMEMBERED_FRAMES, ResendLedger } from '../../src/ingest/relp/resends.js';
import { parseOffers, RelpSession } from '../../src/ingest/relp/session.js';
import type { Config } from '../../src/config/schema.js';
import { platforms } from '../../parsers/index.js';
import { ConfigError, parseConfig } from '../../src/config/load.js';
import { startTestIngest, type TestIngest } from '../support/ingest.js';
import { RelpTestClient } from '../support/relp-client.js';
import { tempDir } from '../support/temp.js';
import { rsyslog, toolOrSkip } from '../support/tools.js';
import { fill, tmpfsOrSkip, unmountAll } from '../support/tmpfs.js';
import { mulberry32 } from '../support/random.js';
import net from 'node:net';

/** A good session's bytes with a few random changes: bytes replaced, cut, inserted, repeated. */
function mutated(rnd: () => number): Buffer {
  let out = Buffer.concat([
    encodeFrame(1, 'open', 'relp_version=0\ncommands=syslog'),
    ...Array.from({ length: 1 + Math.floor(rnd() * 4) }, (_, i) => encodeFrame(i + 2, 'syslog', `<13>Dec  3 07:00:00 h app: ${'x'.repeat(Math.floor(rnd() * 40))}`)),
  ]);
  for (let k = 1 + Math.floor(rnd() * 3); k > 0; k--) {
    const at = Math.floor(rnd() * (out.length + 1));
    switch (Math.floor(rnd() * 4)) {
      case 0: if (at < out.length) out[at] = Math.floor(rnd() * 256); break;
      case 1: out = out.subarray(0, at); break;
      case 2: out = Buffer.concat([out.subarray(0, at), Buffer.from(Array.from({ length: 1 + Math.floor(rnd() * 12) }, () => Math.floor(rnd() * 256))), out.subarray(at)]); break;
      default: out = Buffer.concat([out, out.subarray(at)]); break;
    }
  }
  return out;
}

let t: TestIngest | undefined;
const stops: Array<() => void> = [];
afterEach(async () => {
  for (const s of stops.splice(0)) s();
  await t?.stop();
  t = undefined;
});
afterAll(() => unmountAll());

const start = (patch: (c: Config) => void = () => {}): Promise<TestIngest> =>
  startTestIngest((c) => {
    c.ingest.relp.enabled = true;
    c.ingest.relp.port = 0;
    c.store.storeAllMessages = true;
    patch(c);
  });

const stored = (ti: TestIngest): string[] =>
  (ti.db.prepare("SELECT raw FROM messages WHERE transport = 'relp' ORDER BY id").all() as Array<{ raw: string }>).map((r) => r.raw);

describe('RELP configuration', () => {
  const problems = (text: string): string => {
    try {
      parseConfig(text, 'c.yaml', platforms);
    } catch (err) {
      if (err instanceof ConfigError) return err.message;
      throw err;
    }
    throw new Error('no error');
  };

  it('is off by default, on 2514 when enabled', () => {
    expect(parseConfig('', 'c.yaml', platforms).ingest.relp).toMatchObject({ enabled: false, port: 2514, resendWindow: 1024 });
    expect(parseConfig('ingest:\n  relp: { enabled: true }\n', 'c.yaml', platforms).ingest.relp.enabled).toBe(true);
  });

  it('names the file, line and key of a mistake', () => {
    expect(problems('ingest:\n  relp:\n    enabled: true\n    port: 70000\n')).toMatch(/c\.yaml:4: ingest\.relp\.port/);
    expect(problems('ingest:\n  relp:\n    resendWindo: 10\n')).toMatch(/c\.yaml:3: .*resendWindo/);
    expect(problems('ingest:\n  relp:\n    tls:\n      requireClientCert: true\n')).toMatch(/ingest\.relp\.tls\.ca: requireClientCert needs ca/);
    expect(problems('ingest:\n  relp:\n    tls:\n      cert: /nonexistent/relp.pem\n      key: /nonexistent/relp.key\n')).toMatch(/c\.yaml:4: ingest\.relp\.tls\.cert: file not found/);
  });
});

describe('RELP framing', () => {
  it('reads frames split anywhere, with and without data', () => {
    const wire = Buffer.concat([encodeFrame(1, 'open', 'relp_version=0'), encodeFrame(2, 'syslog', '<13>one\ntwo'), encodeFrame(3, 'close', '')]);
    for (let cut = 1; cut < wire.length; cut++) {
      const f = new RelpFramer(1024);
      const got = [...f.push(wire.subarray(0, cut)).frames, ...f.push(wire.subarray(cut)).frames];
      expect(got.map((x) => [x.txnr, x.command, x.data.toString()])).toEqual([[1, 'open', 'relp_version=0'], [2, 'syslog', '<13>one\ntwo'], [3, 'close', '']]);
      expect(f.buffered).toBe(0);
    }
  });

  it('truncates an oversize frame to the limit, discards the rest as it arrives, and carries on', () => {
    const f = new RelpFramer(10);
    const big = encodeFrame(1, 'syslog', 'x'.repeat(100_000));
    const got = [];
    for (let i = 0; i < big.length; i += 1000) got.push(...f.push(big.subarray(i, i + 1000)).frames);
    got.push(...f.push(encodeFrame(2, 'syslog', 'next')).frames);
    expect(got.map((x) => [x.txnr, x.data.toString(), x.truncatedFrom])).toEqual([[1, 'x'.repeat(10), 100_000], [2, 'next', undefined]]);
    expect(f.buffered).toBe(0);
  });

  it.each([
    ['no TXNR', 'syslog 3 abc\n', 'relp-bad-frame'],
    ['a 10-digit TXNR', '1234567890 syslog 3 abc\n', 'relp-bad-frame'],
    ['a 33-letter command', `1 ${'a'.repeat(33)} 3 abc\n`, 'relp-bad-frame'],
    ['a 10-digit DATALEN', '1 syslog 1234567890 abc\n', 'relp-bad-frame'],
    ['a digit in the command', '1 sys1og 3 abc\n', 'relp-bad-frame'],
    ['no trailer', '1 syslog 3 abcd\n', 'relp-bad-trailer'],
  ])('refuses %s, keeping the frames before it', (_name, bad, reason) => {
    const f = new RelpFramer(1024);
    const got = f.push(Buffer.concat([encodeFrame(1, 'syslog', 'good'), Buffer.from(bad)]));
    expect(got.frames.map((x) => x.data.toString())).toEqual(['good']);
    expect(got.error?.reason).toBe(reason);
    expect(f.push(encodeFrame(2, 'syslog', 'after')).frames).toEqual([]);
  });
});

describe('RELP hostile input', () => {
  it('never throws on 50,000 mutated sessions, and buffers at most the limit', () => {
    const rnd = mulberry32(Number(process.env.FUZZ_SEED ?? 20261203));
    let most = 0;
    for (let i = 0; i < 50_000; i++) {
      const bytes = mutated(rnd);
      const framer = new RelpFramer(64);
      const session = new RelpSession('aaawatch,1');
      for (let at = 0; at < bytes.length; ) {
        const n = 1 + Math.floor(rnd() * 32);
        const got = framer.push(bytes.subarray(at, at + n));
        for (const f of got.frames) session.receive(f);
        most = Math.max(most, framer.buffered);
        at += n;
      }
    }
    // The limit, plus a header (at most 9 + 32 + 9 digits and letters, three spaces) and a chunk.
    expect(most).toBeLessThanOrEqual(64 + 53 + 32);
  });

  it('survives 300 mutated sessions over real sockets and still serves a good one', async () => {
    t = await start();
    const port = t.ingest.relp!.port;
    const rnd = mulberry32(7);
    for (let i = 0; i < 300; i++) {
      await new Promise<void>((resolve) => {
        const s = net.connect(port, '127.0.0.1', () => s.end(mutated(rnd)));
        s.on('error', () => resolve());
        s.on('close', () => resolve());
        s.resume();
      });
    }
    const c = await RelpTestClient.connect(port);
    stops.push(() => c.destroy());
    c.open();
    c.send('syslog', '<13>Dec  3 07:00:00 host1 app: still here');
    expect((await c.until(2)).map((f) => f.data.slice(0, 6))).toEqual(['200 OK', '200 OK']);
    expect(t.counter('errors.relp')).toBe(0);
  });
});

describe('RELP session', () => {
  const frame = (txnr: number, command: string, data = ''): Parameters<RelpSession['receive']>[0] => ({ txnr, command, data: Buffer.from(data) });

  it('answers open with the version it speaks and the commands both know', () => {
    expect(parseOffers(Buffer.from('relp_version=0\nrelp_software=librelp,1.11.0,http://librelp.adiscon.com\ncommands=syslog'))).toEqual({
      relp_version: ['0'], relp_software: ['librelp', '1.11.0', 'http://librelp.adiscon.com'], commands: ['syslog'],
    });
    const s = new RelpSession('aaawatch,1');
    expect(s.receive(frame(1, 'open', 'relp_version=7\ncommands=syslog,eventlog'))).toEqual({ kind: 'open', txnr: 1, text: '200 OK\nrelp_version=1\nrelp_software=aaawatch,1\ncommands=syslog' });
    expect(s.receive(frame(2, 'syslog', 'm'))).toMatchObject({ kind: 'syslog', txnr: 2 });
    expect(s.receive(frame(3, 'close'))).toEqual({ kind: 'end', txnr: 3, text: '200 OK', clean: true });
  });

  it.each([
    ['syslog before open', [frame(1, 'syslog', 'm')], 'relp-not-open'],
    ['open without relp_version', [frame(1, 'open', 'commands=syslog')], 'relp-bad-offers'],
    ['open twice', [frame(1, 'open', 'relp_version=0'), frame(2, 'open', 'relp_version=0')], 'relp-not-open'],
    ['a TXNR out of turn', [frame(1, 'open', 'relp_version=0'), frame(3, 'syslog', 'm')], 'relp-bad-txnr'],
    ['starttls', [frame(1, 'open', 'relp_version=0'), frame(2, 'starttls')], 'relp-unsupported-command'],
    ['a hint', [frame(0, 'serverclose')], 'relp-unsupported-command'],
  ])('refuses %s', (_name, frames, reason) => {
    const s = new RelpSession('aaawatch,1');
    const steps = frames.map((f) => s.receive(f));
    expect(steps.at(-1)).toMatchObject({ kind: 'violation', reason });
  });
});

describe('RELP resends', () => {
  const data = (s: string): Buffer => Buffer.from(s);
  const OPTS = { window: 8, perSource: 4, seconds: 600 };
  const commit = (session: ReturnType<ResendLedger['begin']>, lines: string[]): void => {
    for (const l of lines) session.handing(data(l)).committed();
  };

  it('takes a frame a broken session committed, sent again in a later session, once', async () => {
    const ledger = new ResendLedger(undefined, OPTS);
    const first = ledger.begin('10.0.0.1');
    commit(first, ['a', 'b', 'c', 'd']);
    first.end(false);
    const second = ledger.begin('10.0.0.1');
    await second.ready();
    // librelp resends c and d (their answers were lost); rsyslog's retry then sends a again; a new
    // line equal to d, and a second a, are new.
    expect(['c', 'd', 'e', 'a', 'd', 'a'].map((l) => second.check(data(l)))).toEqual([true, true, false, true, false, false]);
  });

  it('remembers a session\'s first frames beyond the window (rsyslog sends the message it held while it could not connect again)', () => {
    const ledger = new ResendLedger(undefined, OPTS);
    const first = ledger.begin('10.0.0.1');
    const lines = Array.from({ length: 100 }, (_, i) => `line ${i}`);
    commit(first, lines);
    first.end(false);
    const second = ledger.begin('10.0.0.1');
    expect(['line 0', 'line 15', 'line 16', 'line 80', 'line 92', 'line 99'].map((l) => second.check(data(l)))).toEqual([true, true, false, false, true, true]);
  });

  it('forgets the oldest unfinished sessions past its bounds, per address and in all', () => {
    const ledger = new ResendLedger(undefined, { window: 1000, perSource: 2, seconds: 600 });
    for (let i = 0; i < 3; i++) {
      const s = ledger.begin('10.0.0.1');
      commit(s, [`a${i}`]);
      s.end(false);
    }
    expect(ledger.remembered).toBe(2);
    // Many addresses, each a session of 500 frames: at most MAX_REMEMBERED_FRAMES are kept.
    for (let i = 0; i < 500; i++) {
      const s = ledger.begin(`10.1.${i >> 8}.${i & 255}`);
      commit(s, Array.from({ length: 500 }, (_, j) => `${i}/${j}`));
      s.end(false);
    }
    expect(ledger.remembered).toBe(MAX_REMEMBERED_FRAMES / 500);
    expect(ledger.begin('10.0.0.1').check(data('a2'))).toBe(false);
    expect(ledger.begin('10.1.1.243').check(data('499/0'))).toBe(true);
  });

  it('takes nothing within a session, from another address, or from a session closed cleanly', () => {
    const ledger = new ResendLedger(undefined, OPTS);
    const clean = ledger.begin('10.0.0.1');
    commit(clean, ['a']);
    expect(clean.check(data('a'))).toBe(false);
    clean.end(true);
    const broken = ledger.begin('10.0.0.2');
    commit(broken, ['b']);
    broken.end(false);
    const other = ledger.begin('10.0.0.1');
    expect(other.check(data('a'))).toBe(false);
    expect(other.check(data('b'))).toBe(false);
  });

  it('remembers a resend as the new session\'s own, should that session break too', () => {
    const ledger = new ResendLedger(undefined, OPTS);
    const first = ledger.begin('10.0.0.1');
    commit(first, ['a']);
    first.end(false);
    const second = ledger.begin('10.0.0.1');
    expect(second.check(data('a'))).toBe(true);
    second.end(false);
    const third = ledger.begin('10.0.0.1');
    expect(third.check(data('a'))).toBe(true);
  });

  it('stops taking frames `seconds` after the sender came back', () => {
    let now = 0;
    const ledger = new ResendLedger(undefined, { ...OPTS, seconds: 60 }, [], () => now);
    const first = ledger.begin('10.0.0.1');
    commit(first, ['a', 'b']);
    first.end(false);
    now = 1000;
    const second = ledger.begin('10.0.0.1');
    expect(second.check(data('x'))).toBe(false);
    now = 60_000;
    expect(second.check(data('a'))).toBe(true);
    now = 61_001;
    expect(second.check(data('b'))).toBe(false);
    expect(ledger.remembered).toBe(0);
  });

  it('waits for the earlier session to settle its commits before the new one may open', async () => {
    const ledger = new ResendLedger(undefined, OPTS);
    const first = ledger.begin('10.0.0.1');
    const pending = first.handing(data('a'));
    first.end(false);
    const second = ledger.begin('10.0.0.1');
    let opened = false;
    const ready = second.ready().then(() => (opened = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(opened).toBe(false);
    pending.committed();
    await ready;
    expect(second.check(data('a'))).toBe(true);
  });

  it('digests with SHA-256, 132 bits kept', () => {
    const full = Buffer.from('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad', 'hex').toString('base64url');
    expect(frameDigest(Buffer.from('abc'))).toBe(full.slice(0, 22));
  });
});

describe('RELP listener', () => {
  it('opens, and answers each syslog command only once its message is stored', async () => {
    t = await start();
    const c = await RelpTestClient.connect(t.ingest.relp!.port);
    stops.push(() => c.destroy());
    c.open();
    const [open] = await c.until(1);
    expect(open).toMatchObject({ txnr: 1, command: 'rsp' });
    expect(open!.data).toMatch(/^200 OK\nrelp_version=0\nrelp_software=aaawatch,[^\n]+\ncommands=syslog$/);
    const ti = t;
    // At each arrival: answers received so far, and messages in the database (read in this thread).
    const seen: Array<[number, number]> = [];
    c.socket.on('data', () => seen.push([c.frames.length - 1, stored(ti).length]));
    for (let i = 0; i < 50; i++) c.send('syslog', `<13>Dec  3 07:00:00 host1 app: line ${i}`);
    const frames = await c.until(51);
    expect(frames.slice(1).map((f) => [f.txnr, f.command, f.data])).toEqual(Array.from({ length: 50 }, (_, i) => [i + 2, 'rsp', '200 OK']));
    // No answer arrived before its message was in the database.
    expect(seen.filter(([answered, inStore]) => answered > inStore)).toEqual([]);
    expect(seen.at(-1)).toEqual([50, 50]);
    c.send('close');
    await c.until(52);
    expect(c.frames[51]).toEqual({ txnr: 52, command: 'rsp', data: '200 OK' });
    await c.ended();
    expect(t.counter('received.relp')).toBe(50);
  });

  it('keeps the good frames before a bad one, counts and keeps the bad one, and closes', async () => {
    t = await start();
    const c = await RelpTestClient.connect(t.ingest.relp!.port);
    stops.push(() => c.destroy());
    c.open();
    c.send('syslog', '<13>Dec  3 07:00:00 host1 app: before');
    c.raw('3 syslog 3 abcd\n');
    await c.ended();
    expect(c.frames.map((f) => f.command)).toEqual(['rsp', 'rsp', 'serverclose']);
    const ti = t;
    await t.until(() => ti.counter('rejected.relp-bad-trailer') === 1);
    expect(stored(t)).toEqual(['<13>Dec  3 07:00:00 host1 app: before']);
    expect(t.db.prepare("SELECT reason, transport, CAST(raw AS TEXT) AS raw FROM rejects WHERE reason = 'relp-bad-trailer'").get()).toEqual({ reason: 'relp-bad-trailer', transport: 'relp', raw: '3 syslog 3 abcd\n' });
  });

  it('keeps the frame it refuses, and the start of one cut by a close or a reset, as the sample beside the count', async () => {
    t = await start();
    const port = t.ingest.relp!.port;
    const ti = t;
    const sampleOf = (reason: string): string[] =>
      (ti.db.prepare('SELECT CAST(raw AS TEXT) AS raw FROM rejects WHERE reason = ? ORDER BY id').all(reason) as Array<{ raw: string }>).map((r) => r.raw);
    const line = (what: string): string => `<13>Dec  3 07:00:00 host1 app: ${what}`;
    // A syslog command before open: answered 500, which librelp takes as final, so the sample is all that is left of it.
    const early = await RelpTestClient.connect(port);
    stops.push(() => early.destroy());
    early.send('syslog', line('before open'));
    await early.ended();
    expect(early.frames.map((f) => f.data)).toEqual(['500 session not open', '']);
    // A TXNR out of turn: unanswered, closed.
    const skip = await RelpTestClient.connect(port);
    stops.push(() => skip.destroy());
    skip.open();
    await skip.until(1);
    skip.raw(`7 syslog ${line('out of turn').length} ${line('out of turn')}\n`);
    await skip.ended();
    // Half a frame, then the sender's close; half a frame, then a reset (no FIN: a sender killed, a cable pulled).
    const cut = async (how: 'end' | 'reset', what: string): Promise<void> => {
      const c = await RelpTestClient.connect(port);
      stops.push(() => c.destroy());
      c.open();
      await c.until(1);
      c.raw(`2 syslog 200 ${line(what)}`);
      await new Promise((r) => setTimeout(r, 100));
      if (how === 'end') c.socket.end();
      else c.socket.resetAndDestroy();
    };
    await cut('end', 'cut by a close');
    await cut('reset', 'cut by a reset');
    await t.until(() => ti.counter('rejected.relp-truncated-frame') === 2);
    expect(sampleOf('relp-not-open')).toEqual([`1 syslog ${line('before open').length} ${line('before open')}`]);
    expect(sampleOf('relp-bad-txnr')).toEqual([`7 syslog ${line('out of turn').length} ${line('out of turn')}`]);
    expect(sampleOf('relp-truncated-frame')).toEqual([`2 syslog 200 ${line('cut by a close')}`, `2 syslog 200 ${line('cut by a reset')}`]);
    // The reset is that frame's cut, counted once, not a connection error besides.
    expect(t.counter('rejected.relp-connection-error')).toBe(0);
    expect(stored(t)).toEqual([]);
  });

  it('gives a source its own cap of connections, closes half a frame after the stall timeout, and serves the others', async () => {
    t = await start((c) => {
      c.ingest.relp.maxConnectionsPerSource = 2;
      c.ingest.relp.stallTimeoutSeconds = 1;
    });
    const port = t.ingest.relp!.port;
    const hog = await Promise.all([0, 1].map(() => RelpTestClient.connect(port)));
    for (const h of hog) stops.push(() => h.destroy());
    hog[0]!.raw('1 open 14 relp_ver');
    const third = await RelpTestClient.connect(port);
    stops.push(() => third.destroy());
    await third.ended();
    const ti = t;
    await t.until(() => ti.counter('rejected.source-connection-limit') === 1);
    // Another address still gets in, and is answered.
    const other = await RelpTestClient.connect(port, '127.0.0.2');
    stops.push(() => other.destroy());
    other.open();
    other.send('syslog', '<13>Dec  3 07:00:00 host1 app: from elsewhere');
    expect((await other.until(2)).map((f) => f.data.slice(0, 6))).toEqual(['200 OK', '200 OK']);
    // Half a frame is held for the stall timeout (1 s), not the idle timeout (900 s).
    await hog[0]!.ended(5000);
    await t.until(() => ti.counter('rejected.relp-stalled-mid-frame') === 1);
    expect(hog[1]!.closed).toBe(false);
  });

  it('answers nothing while the store cannot be written, then stores and answers once there is room', async (ctx) => {
    const disk = tmpfsOrSkip(ctx, 8);
    t = await start((c) => (c.store.path = join(disk, 'aaawatch.db')));
    const c = await RelpTestClient.connect(t.ingest.relp!.port);
    stops.push(() => c.destroy());
    c.open();
    await c.until(1);
    const filler = fill(disk);
    c.send('syslog', `<13>Dec  3 07:00:00 host1 app: while full ${'z'.repeat(2000)}`);
    const ti = t;
    const deadline = Date.now() + 30_000;
    while (ti.ingest.store.state().held?.failure.code !== 'SQLITE_FULL') {
      if (Date.now() > deadline) throw new Error('the store never failed');
      await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setTimeout(r, 500));
    // Told nothing while nothing could be stored.
    expect(c.frames).toHaveLength(1);
    rmSync(filler);
    const answered = await c.until(2, 30_000);
    expect(answered[1]).toEqual({ txnr: 2, command: 'rsp', data: '200 OK' });
    expect(stored(t).filter((r) => r.includes('while full'))).toHaveLength(1);
  });

  it('truncates an oversize message to maxMessageBytes and answers it', async () => {
    t = await start((c) => (c.ingest.maxMessageBytes = 480));
    const c = await RelpTestClient.connect(t.ingest.relp!.port);
    stops.push(() => c.destroy());
    c.open();
    c.send('syslog', `<13>Dec  3 07:00:00 host1 app: ${'y'.repeat(5000)}`);
    c.send('syslog', '<13>Dec  3 07:00:00 host1 app: after');
    const frames = await c.until(3);
    expect(frames.map((f) => f.data)).toEqual([expect.stringMatching(/^200 OK/), '200 OK', '200 OK']);
    const ti = t;
    await t.until(() => stored(ti).length === 2);
    expect(stored(t).map((r) => r.length)).toEqual([480, 36]);
    expect(t.counter('malformed.relp-truncated')).toBe(1);
    // Flagged on its row, as TCP's and UDP's truncated messages are.
    expect(t.db.prepare("SELECT truncated FROM messages WHERE transport = 'relp' ORDER BY id").pluck().all()).toEqual([1, 0]);
  });

  it('cuts an oversize UTF-8 message before a character, not inside it: kept as UTF-8, flagged, not counted as not UTF-8', async () => {
    t = await start((c) => (c.ingest.maxMessageBytes = 482));
    const c = await RelpTestClient.connect(t.ingest.relp!.port);
    stops.push(() => c.destroy());
    c.open();
    // 31 bytes of header, then two-byte characters: the limit, 482, ends inside the 226th.
    const header = '<13>Dec  3 07:00:00 host1 app: ';
    c.send('syslog', `${header}${'é'.repeat(2000)}`);
    await c.until(2);
    const ti = t;
    await t.until(() => stored(ti).length === 1);
    const raw = stored(t)[0]!;
    expect(raw).toBe(`${header}${'é'.repeat(225)}`);
    expect(t.db.prepare("SELECT truncated, raw_bytes FROM messages WHERE transport = 'relp'").get()).toEqual({ truncated: 1, raw_bytes: null });
    expect(t.counter('malformed.not-utf8')).toBe(0);
    expect(t.counter('malformed.relp-truncated')).toBe(1);
  });

  it('answers a resend of frames committed before the connection broke, and stores them once', async () => {
    t = await start();
    const port = t.ingest.relp!.port;
    const lines = Array.from({ length: 10 }, (_, i) => `<13>Dec  3 07:00:00 host1 app: line ${i}`);
    const first = await RelpTestClient.connect(port);
    first.open();
    for (const l of lines.slice(0, 6)) first.send('syslog', l);
    await first.until(7);
    // As if the answers to lines 3..5 were lost: the sender sends them again on a new session.
    first.destroy();
    const second = await RelpTestClient.connect(port);
    stops.push(() => second.destroy());
    second.open();
    for (const l of lines.slice(3)) second.send('syslog', l);
    const frames = await second.until(8);
    expect(frames.map((f) => f.data.slice(0, 6))).toEqual(Array(8).fill('200 OK'));
    const ti = t;
    await t.until(() => stored(ti).length >= 10);
    expect(stored(t)).toEqual(lines);
    expect(t.counter('relp.resends-recognised')).toBe(3);
  });

  it('remembers across a restart what an unfinished session committed', async () => {
    const dir = tempDir();
    const path = join(dir, 'aaawatch.db');
    const lines = Array.from({ length: 4 }, (_, i) => `<13>Dec  3 07:00:00 host1 app: line ${i}`);
    t = await start((c) => (c.store.path = path));
    const first = await RelpTestClient.connect(t.ingest.relp!.port);
    first.open();
    for (const l of lines.slice(0, 3)) first.send('syslog', l);
    await first.until(4);
    first.destroy();
    await t.ingest.stop();
    t.db.close();
    t = await start((c) => (c.store.path = path));
    const second = await RelpTestClient.connect(t.ingest.relp!.port);
    stops.push(() => second.destroy());
    second.open();
    for (const l of lines.slice(1)) second.send('syslog', l);
    await second.until(4);
    const ti = t;
    await t.until(() => stored(ti).length >= 4);
    expect(stored(t)).toEqual(lines);
  });
});

/** rsyslog reading `lines` from a file (imfile) and forwarding them with omrelp; `action` adds parameters. */
function rsyslogForward(ctx: TestContext, port: number, lines: string[], action = '', module = ''): void {
  const rs = rsyslog();
  if (!rs) ctx.skip('rsyslogd with omrelp is not installed');
  const dir = tempDir();
  const input = join(dir, 'input.log');
  writeFileSync(input, '');
  mkdirSync(join(dir, 'work'));
  writeFileSync(
    join(dir, 'rsyslog.conf'),
    `global(workDirectory="${dir}/work")
module(load="${rs!.modules}/imfile.so" mode="polling" pollingInterval="1")
module(load="${rs!.modules}/omrelp.so" ${module})
input(type="imfile" file="${input}" tag="app:" ruleset="fwd")
ruleset(name="fwd") { action(type="omrelp" target="127.0.0.1" port="${port}" template="RSYSLOG_TraditionalForwardFormat" ${action}) }
`,
  );
  const child = spawn(rs!.rsyslogd, ['-n', '-f', join(dir, 'rsyslog.conf'), '-i', join(dir, 'rsyslogd.pid'), '-M', rs!.modules], { stdio: 'ignore' });
  stops.push(() => child.kill('SIGKILL'));
  writeFileSync(input, lines.join('\n') + '\n');
}

const numbered = (n: number): string[] => Array.from({ length: n }, (_, i) => `<13>Dec  3 07:00:00 host1 app: line ${i}`);
const lineNumbers = (rows: string[]): string[] => rows.map((r) => /line \d+$/.exec(r)?.[0] ?? r);

describe('rsyslog omrelp → aaawatch', () => {
  it('delivers every line once', async (ctx) => {
    t = await start();
    const lines = numbered(2000);
    rsyslogForward(ctx, t.ingest.relp!.port, lines);
    const ti = t;
    await t.until(() => stored(ti).length >= lines.length, 30_000);
    expect(lineNumbers(stored(t))).toEqual(lineNumbers(lines));
  });

  it('delivers over mutual TLS, and refuses a client without a certificate', async (ctx) => {
    toolOrSkip(ctx, 'openssl');
    const dir = tempDir('aaawatch-relp-tls-');
    const run = (...args: string[]): void => void execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
    run('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=test-ca');
    for (const [who, cn] of [['server', 'localhost'], ['client', 'relay1']]) {
      run('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${who}.key`, '-out', `${who}.csr`, '-subj', `/CN=${cn}`);
      run('x509', '-req', '-in', `${who}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${who}.pem`, '-days', '2');
    }
    t = await start((c) => {
      c.ingest.relp.tls = { cert: join(dir, 'server.pem'), key: join(dir, 'server.key'), ca: join(dir, 'ca.pem'), requireClientCert: true };
    });
    const port = t.ingest.relp!.port;
    const lines = numbered(500);
    rsyslogForward(
      ctx, port, lines,
      `tls="on" tls.cacert="${dir}/ca.pem" tls.mycert="${dir}/client.pem" tls.myprivkey="${dir}/client.key" tls.authMode="name" tls.permittedPeer="localhost"`,
      'tls.tlslib="openssl"',
    );
    const ti = t;
    await t.until(() => stored(ti).length >= lines.length, 30_000);
    expect(lineNumbers(stored(t))).toEqual(lineNumbers(lines));

    await new Promise<void>((resolve) => {
      const s = tls.connect({ port, host: '127.0.0.1', ca: readFileSync(join(dir, 'ca.pem')), servername: 'localhost' }, () => s.write('1 open 14 relp_version=0\n'));
      s.on('error', () => resolve());
      s.on('close', () => resolve());
      s.resume();
    });
    await t.until(() => ti.counter('rejected.relp-tls-client-certificate') + ti.counter('rejected.relp-tls-handshake') >= 1);
    expect(stored(t)).toHaveLength(lines.length);
  });
});
