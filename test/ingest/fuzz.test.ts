// Hostile input: at least 100,000 random and mutated real lines through framing, header parsing
// and every platform, on every CI run. Nothing may throw, and every input must come out either
// parsed or counted as malformed. Seeded, so a failure names a reproducible input.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { platforms } from '../../parsers/index.js';
import { Framer } from '../../src/ingest/framing.js';
import { readMessage } from '../../src/ingest/envelopes/index.js';
import { createRecogniser } from '../../src/ingest/recognise.js';
import { CORPUS } from '../support/corpus.js';
import { mulberry32 } from '../support/random.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20261121);

function corpusSeeds(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (!name.endsWith('.md')) out.push(...readFileSync(p, 'utf8').split('\n').filter((l) => l.length > 0 && l.length < 20_000));
    }
  };
  walk(join(CORPUS, 'syslog'));
  walk(join(CORPUS, 'cloud'));
  out.push(...readFileSync(join(CORPUS, 'hostile-strings.txt'), 'utf8').split('\n'));
  return out;
}

const TOKENS = ['<', '>', '<189>', '<13>1 ', '%', ':', ': ', ' ', '\t', '[', ']', '"', '\\', '=', '\u0000', '\r', '\n', '\uFEFF',
  '*', '.', 'Nov', '2026', '12:00:00', '.123', ' UTC', '-', '{', '}', '__proto__', 'username ', ' secret ', 'CISE_', '\uFFFD', '\u202E'];

function mutate(line: string, rnd: () => number): string {
  let s = line;
  const n = 1 + Math.floor(rnd() * 4);
  for (let k = 0; k < n; k++) {
    const at = Math.floor(rnd() * (s.length + 1));
    switch (Math.floor(rnd() * 6)) {
      case 0: s = s.slice(0, at) + s.slice(at + 1 + Math.floor(rnd() * 20)); break;
      case 1: s = s.slice(0, at) + TOKENS[Math.floor(rnd() * TOKENS.length)] + s.slice(at); break;
      case 2: s = s.slice(0, at); break;
      case 3: s = s.slice(at) + s.slice(0, at); break;
      case 4: s = s.slice(0, at) + String.fromCharCode(Math.floor(rnd() * 0x3000)) + s.slice(at); break;
      default: s = s.slice(0, at) + s.slice(at, at + 40).repeat(1 + Math.floor(rnd() * 30)) + s.slice(at + 40);
    }
  }
  return s;
}

function random(rnd: () => number): string {
  const len = Math.floor(rnd() * 300);
  let s = '';
  for (let i = 0; i < len; i++) s += rnd() < 0.3 ? TOKENS[Math.floor(rnd() * TOKENS.length)] : String.fromCharCode(Math.floor(rnd() * 256));
  return s;
}

describe(`fuzz (seed ${SEED})`, () => {
  const seeds = corpusSeeds();
  const rnd = mulberry32(SEED);
  const inputs: string[] = [];
  for (let i = 0; i < 100_000; i++) inputs.push(i % 4 === 0 ? random(rnd) : mutate(seeds[Math.floor(rnd() * seeds.length)]!, rnd));

  // A fixed amount of work (100,000 inputs); the timeout only guards against a hang, with room for a loaded machine.
  it('header parsing, envelopes and every platform: no throw; each input parsed or marked malformed', { timeout: 300_000 }, () => {
    const recognise = createRecogniser(platforms);
    const ctx = { receivedAt: Date.parse('2026-11-21T23:00:00Z'), transport: 'tcp' as const, source: '192.0.2.1' };
    let malformed = 0;
    // Failures are gathered and asserted once: an expect() per input made the check itself the
    // slowest part, and a loaded machine ran past the time limit.
    const failures: string[] = [];
    const fail = (i: number, what: string, input: string): void => {
      if (failures.length < 20) failures.push(`input ${i}: ${what}: ${JSON.stringify(input).slice(0, 300)}`);
    };
    for (const [i, input] of inputs.entries()) {
      const m = readMessage(input, ctx);
      if (m.raw !== input) fail(i, 'raw text changed', input);
      if (!Number.isFinite(m.time)) fail(i, `time ${m.time}`, input);
      if (m.malformed) malformed++;
      else if (m.format !== 'rfc5424' && m.format !== 'rfc3164' && m.format !== 'bare') fail(i, `format ${String(m.format)}`, input);
      const { records, unknown } = recognise(m);
      for (const u of unknown) if (u.type.endsWith(':error')) fail(i, `a platform threw (${u.type})`, input);
      for (const r of records) if (Number.isNaN(Date.parse(r.time))) fail(i, `record time ${r.time}`, input);
    }
    expect(failures).toEqual([]);
    expect(malformed).toBeGreaterThan(0);
  });

  it('framing: random chunking of the same inputs never throws and loses no well-framed message', () => {
    // A line that starts with `digits SP` cannot be sent LF-framed on a stream that also carries
    // octet counts (RFC 6587 3.4: the receiver reads the digits as a count, as rsyslog does): such
    // a sender must count it, so these go octet-counted too (header-less NX-OS lines in the corpus
    // start `2023 Jan 11 …`).
    const framed = inputs
      .slice(0, 30_000)
      .map((s, i) => (i % 3 === 0 || /^\d+ /.test(s) ? `${Buffer.byteLength(s)} ${s}` : s.replace(/\n/g, ' ') + '\n'));
    const stream = Buffer.from(framed.join(''));
    let frames = 0;
    let errors = 0;
    let pos = 0;
    let framer = new Framer(65536, { frame: () => frames++, error: () => errors++ });
    while (pos < stream.length) {
      const size = 1 + Math.floor(rnd() * 4096);
      if (!framer.push(stream.subarray(pos, pos + size))) {
        // The socket code closes the connection; a sender would reconnect and go on.
        framer = new Framer(65536, { frame: () => frames++, error: () => errors++ });
      }
      pos += size;
    }
    framer.end();
    // A count the framer refuses (oversize, or not a count) costs the frames up to where it finds
    // its footing again; everything else must come through as one frame each.
    expect(frames).toBeGreaterThan(framed.length * 0.9);
    expect(errors).toBeLessThan(framed.length * 0.05);
  });
});
