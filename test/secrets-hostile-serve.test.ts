// Hostile lines through a real `aaawatch serve` (issue 11), not only through the engine: the 22
// lines of test/support/hostile-lines.ts (100 KB over TCP, 60 KB over UDP, the largest datagram
// being 64 KiB), NUL bytes, bytes that are not UTF-8 (a lone surrogate, stray continuation
// bytes), thousands of `password=` on one line, JSON nested thousands deep. One serve for the
// whole file, over both transports. It must stay up and go on storing (a last line sent after
// all of them is stored; `aaawatch stats` answers with every line received), store or count each
// line, store each redacted as the engine redacts it, and leave no secret value in the SQLite file
// or its WAL. How long it takes is not asserted (no timed tests): a gate that read a line again
// from each position would hold serve for minutes and this file would time out.

import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDACTED } from '../parsers/lib/secrets.js';
import { REPO } from './support/corpus.js';
import { hostileLines } from './support/hostile-lines.js';
import { freePort } from './support/ports.js';
import { watch, type Watched } from './support/process.js';
import { tempDir } from './support/temp.js';
import { sendDatagrams } from './support/udp.js';

const CLI = join(REPO, 'dist/src/cli.js');
/** Above the 100 KB lines, so TCP stores them whole. */
const MAX_MESSAGE = 256 * 1024;

/** A line as bytes, what must be stored of it (when known exactly), and the secrets it holds. */
interface Sent {
  name: string;
  bytes: Buffer;
  expected?: string;
  secrets: readonly string[];
}

const utf8 = (s: string): Buffer => Buffer.from(s, 'utf8');

/** The lines beyond the engine's: NUL bytes, bytes that are not UTF-8, repetition, nesting. */
function extraLines(size: number): Sent[] {
  const nested = Math.floor(size / 20);
  const repeats = (unit: string): number => Math.floor((size * 0.9) / unit.length);
  return [
    {
      name: 'NUL bytes around a secret',
      bytes: utf8(`<189>1: r1: %PARSER-5-CFGLOG_LOGGEDCMD: User:ops  logged command:username bob secret 0\0\0\0Nul0Secret-Hs1\0 end`),
      secrets: ['Nul0Secret-Hs1'],
    },
    {
      name: 'a lone surrogate (CESU-8 bytes) before a secret: not UTF-8',
      bytes: Buffer.concat([utf8('<189>2: r1: %PARSER-5-CFGLOG_LOGGEDCMD: User:ops  logged command:username '), Buffer.from([0xed, 0xa0, 0x80]), utf8(' password 0 Sur0gate-Hs2 end')]),
      secrets: ['Sur0gate-Hs2'],
    },
    {
      name: 'stray continuation bytes inside a value: not UTF-8',
      bytes: Buffer.concat([utf8('<189>3: r1: %PARSER-5-CFGLOG_LOGGEDCMD: User:ops  logged command:tacacs-server key 7 Inv'), Buffer.from([0x80, 0xbf, 0xfe]), utf8('alid8-Hs3 end')]),
      secrets: ['alid8-Hs3'],
    },
    {
      name: '`password=` thousands of times, then a value',
      bytes: utf8(`<14>Dec  3 17:40:00 app2 app: ${'password='.repeat(repeats('password='))}Thous4nd-Hs4 end`),
      secrets: ['Thous4nd-Hs4'],
    },
    {
      name: '`password=X ` thousands of times',
      bytes: utf8(`<14>Dec  3 17:40:01 app2 app: ${'password=Many5-Hs5 '.repeat(repeats('password=Many5-Hs5 '))}`),
      expected: `<14>Dec  3 17:40:01 app2 app: ${`password=${REDACTED} `.repeat(repeats('password=Many5-Hs5 '))}`,
      secrets: ['Many5-Hs5'],
    },
    {
      name: 'JSON nested thousands deep around a password',
      bytes: utf8(`<14>Dec  3 17:40:02 app2 app: ${'{"a":'.repeat(nested)}{"password":"De3pNest-Hs6"}${'}'.repeat(nested)}`),
      expected: `<14>Dec  3 17:40:02 app2 app: ${'{"a":'.repeat(nested)}{"password":"${REDACTED}"}${'}'.repeat(nested)}`,
      secrets: ['De3pNest-Hs6'],
    },
    {
      name: 'JSON arrays nested thousands deep, a password inside a JSON string',
      bytes: utf8(`<14>Dec  3 17:40:03 app2 app: ${'['.repeat(nested)}"{\\"password\\":\\"Arr4yNest-Hs7\\"}"${']'.repeat(nested)}`),
      expected: `<14>Dec  3 17:40:03 app2 app: ${'['.repeat(nested)}"{\\"password\\":\\"${REDACTED}\\"}"${']'.repeat(nested)}`,
      secrets: ['Arr4yNest-Hs7'],
    },
  ];
}

/** The hostile lines at a size, as sent (the engine's expected output is what must be stored). */
function lines(size: number): Sent[] {
  return [...hostileLines(size).map((h) => ({ name: h.name, bytes: utf8(h.line), expected: h.expected, secrets: h.secrets })), ...extraLines(size)];
}

const overTcp = lines(100_000);
// A datagram holds at most 65,507 bytes; 60 KB leaves room for the lines' headers.
const overUdp = lines(60_000);

let dir: string;
let config: string;
let dbPath: string;
let serve: ChildProcess | undefined;
let served: Watched | undefined;

afterAll(async () => {
  if (serve && serve.exitCode === null) serve.kill('SIGKILL');
});

function aaawatch(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args, '--config', config], { cwd: REPO, maxBuffer: 64 << 20, env: { ...process.env, AAAWATCH_CONFIG: '' } }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}


/** RFC 6587 octet-counted frames on one connection: no byte of a line is taken for framing. */
function sendTcp(port: number, frames: readonly Buffer[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const body = Buffer.concat(frames.flatMap((f) => [Buffer.from(`${f.length} `), f]));
    const s = net.connect(port, '127.0.0.1', () => s.end(body));
    s.on('error', reject);
    s.on('close', () => resolve());
  });
}

async function until<T>(what: string, f: () => T | undefined | false): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const v = f();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not reached in time\n${served?.output() ?? ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const canary = (transport: string): Buffer => utf8(`<14>Dec  3 17:41:00 canary test: hostile-serve-last-${transport}`);

interface Row {
  transport: string;
  raw: string;
}
let rows: Row[] = [];
let stored: Buffer;
let stats: { code: number; counters: Record<string, number> };

beforeAll(async () => {
  dir = tempDir('aaawatch-hostile-serve-');
  dbPath = join(dir, 'aaawatch.db');
  config = join(dir, 'aaawatch.yaml');
  const port = await freePort();
  writeFileSync(
    config,
    `ingest:\n  udp: { host: 127.0.0.1, port: ${port} }\n  tcp: { host: 127.0.0.1, port: ${port} }\n  maxMessageBytes: ${MAX_MESSAGE}\n` +
      `store:\n  path: ${dbPath}\n  storeAllMessages: true\nweb: { enabled: false }\n`,
  );
  serve = spawn(process.execPath, [CLI, 'serve', '--config', config], { cwd: REPO, env: { ...process.env, AAAWATCH_CONFIG: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  served = watch(serve);
  const listening = (): Promise<boolean> =>
    new Promise((resolve) => net.connect(port, '127.0.0.1').on('connect', function (this: net.Socket) { this.end(); resolve(true); }).on('error', () => resolve(false)));
  const deadline = Date.now() + 60_000;
  while (!(await listening())) {
    if (Date.now() > deadline || serve.exitCode !== null) throw new Error(`serve did not listen:\n${served.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }

  await sendDatagrams(port, [...overUdp.map((s) => s.bytes), canary('udp')]);
  await sendTcp(port, [...overTcp.map((s) => s.bytes), canary('tcp')]);

  const reader = new Database(dbPath, { readonly: true });
  const seen = (transport: string): boolean => reader.prepare('SELECT 1 FROM messages WHERE raw = ?').get(canary(transport).toString()) !== undefined;
  await until('both canaries stored', () => seen('udp') && seen('tcp'));
  rows = reader.prepare("SELECT transport, raw FROM messages WHERE raw NOT LIKE '%hostile-serve-last-%'").all() as Row[];
  reader.close();
  const run = await aaawatch(['stats', '--json']);
  stats = { code: run.code, counters: run.code === 0 ? (JSON.parse(run.stdout) as { counters: Record<string, number> }).counters : {} };
  stored = Buffer.concat(['', '-wal'].filter((s) => existsSync(dbPath + s)).map((s) => readFileSync(dbPath + s)));
}, 300_000);

describe('serve under hostile lines', () => {
  it('stays up, goes on storing and answers stats with every line received', () => {
    expect(serve!.exitCode, served!.output()).toBeNull();
    expect(stats.code).toBe(0);
    expect(stats.counters['received.udp'] ?? 0).toBeGreaterThanOrEqual(overUdp.length + 1);
    expect(stats.counters['received.tcp'] ?? 0).toBeGreaterThanOrEqual(overTcp.length + 1);
  });

  it.each([
    ['udp', overUdp],
    ['tcp', overTcp],
  ] as const)('stores every line sent over %s (or counts it dropped by the kernel)', (transport, sent) => {
    const got = rows.filter((r) => r.transport === transport).length;
    const dropped = transport === 'udp' ? (stats.counters['kernel.udp.socket_drops'] ?? 0) : 0;
    expect(got + dropped).toBe(sent.length);
  });

  it.each([
    ['udp', overUdp],
    ['tcp', overTcp],
  ] as const)('stores each line over %s redacted as the engine redacts it', (transport, sent) => {
    const raws = new Set(rows.filter((r) => r.transport === transport).map((r) => r.raw));
    const missing = sent.filter((s) => s.expected !== undefined && !raws.has(s.expected)).map((s) => s.name);
    expect(missing).toEqual([]);
  });

  it('leaves no secret value in the SQLite file or its WAL', () => {
    const found: string[] = [];
    for (const s of [...overUdp, ...overTcp]) {
      for (const secret of s.secrets) if (stored.includes(utf8(secret))) found.push(`${s.name}: ${secret}`);
    }
    expect([...new Set(found)]).toEqual([]);
  });
});
