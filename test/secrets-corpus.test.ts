// The secret corpus (test/fixtures/secrets) end to end, as the built product meets it: every log
// line sent to one `aaawatch serve` over UDP and over TCP (real sockets), every configuration
// pulled over SSH from an emulated device (or, for platforms aaawatch does not pull, redacted as a
// configuration would be), every import file read by `aaawatch import`, and every log line given
// to `aaawatch parse`, and every log line again as input serve rejects and keeps: from a sender
// outside `ingest.allow`, in a datagram over `ingest.maxMessageBytes`, in a TCP frame cut short.
// Then each secret is searched, in every form a reader could meet it (as is,
// JSON-escaped, HTML-escaped), in the parse output, the SQLite file with its -wal and -shm (raw
// bytes, while serving and after), the process logs, the pages and API answers that show raw lines
// and records, what the command line prints of the store (unknowns, stats, findings, accounts,
// snapshots, diffs), and the exports (CSV, report.json, the evidence pack unzipped). And the text around
// each secret, and every word of a negative, must be stored byte for byte.
//
// This is the specification of issue #11; see test/fixtures/secrets/README.md.

import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformById, platforms } from '../parsers/index.js';
import { redactSecrets } from '../parsers/lib/secrets.js';
import type { Platform } from '../src/types.js';
import { corpusPath, REPO } from './support/corpus.js';
import { EMULATOR_ENABLE, EMULATOR_PASSWORD, startEmulator, type RunningEmulator } from './support/emulator/device.js';
import { RECORDINGS } from './support/emulator/recordings.js';
import { MODEL_PLATFORM } from './support/emulator/targets.js';
import { loadTranscript, type Transcript } from './support/emulator/transcript.js';
import { Haystack } from './support/haystack.js';
import { freePort } from './support/ports.js';
import { watch, type Watched } from './support/process.js';
import { corpusLineCount, corpusProblems, loadSecretCorpus, type SecretEntry } from './support/secret-corpus.js';
import { tempDir } from './support/temp.js';
import { sendDatagrams } from './support/udp.js';
import { PASSWORD, signIn } from './web/fixture.js';

const CLI = join(REPO, 'dist/src/cli.js');
/** ingest.maxMessageBytes for the run: above every corpus line, below the padded copies sent as oversize. */
const MAX_MESSAGE = 8192;
const entries = loadSecretCorpus();
const logs = entries.filter((e) => e.kind === 'log');
const imports = entries.filter((e) => e.kind === 'import');
const configs = entries.filter((e) => e.kind === 'config');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function aaawatch(config: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args, '--config', config], { cwd: REPO, maxBuffer: 256 << 20, env: { ...process.env, AAAWATCH_CONFIG: '', ...env } }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

async function until(what: string, f: () => boolean | Promise<boolean>, ms = 90_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await f())) {
    if (Date.now() > deadline) throw new Error(`${what}: not reached in time`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

// ---- configurations: which device answers them --------------------------------------------------

/** What src/pull/target.ts pulls: a session profile, an accounts reader and a redaction. */
const isPullable = (p: Platform): boolean => p.ssh !== undefined && p.accounts !== undefined && p.redact !== undefined;

/** Oxidized's models of a platform, where the corpus holds recordings of them (the last listed first). */
const modelsOf = (platformId: string): string[] => Object.keys(MODEL_PLATFORM).filter((model) => MODEL_PLATFORM[model] === platformId).reverse();

/** A recording of a platform aaawatch pulls but the corpus has none of: prompt, setup, configuration. */
function writtenTranscript(platformId: string, prompt: string, model: string): Transcript {
  const ssh = platformById(platformId)!.ssh!;
  return {
    name: `${model}#written-for-the-secret-corpus`,
    model,
    initPrompt: `\n${prompt}`,
    exchanges: [
      ...ssh.setup.map((command) => ({ command, response: `${command}\n${prompt}` })),
      ...ssh.configCommands.flat().slice(0, 1).map((command) => ({ command, response: `${command}\n${prompt}` })),
    ],
  };
}
const WRITTEN: Record<string, () => Transcript> = {
  'cisco-iosxr': () => writtenTranscript('cisco-iosxr', 'RP/0/RP0/CPU0:xr1#', 'iosxr'),
  'paloalto-panos': () => writtenTranscript('paloalto-panos', 'admin@PA-3220> ', 'panos'),
};

/** A recording of the platform whose session asks for the configuration the way aaawatch does (Instant's was made with `show running-config no-encrypt`). */
function baseTranscript(platformId: string): Transcript | undefined {
  const commands = platformById(platformId)!.ssh!.configCommands.flat();
  for (const model of modelsOf(platformId)) {
    for (const file of readdirSync(corpusPath('ssh-sessions')).filter((f) => f.startsWith(`${model}#`) && f.endsWith('#simulation.yaml')).sort()) {
      const t = loadTranscript(corpusPath('ssh-sessions', file));
      if (t.exchanges.some((e) => commands.includes(e.command))) return t;
    }
  }
  return WRITTEN[platformId]?.();
}

/**
 * The recording with `text` placed in its configuration answer where such lines stand: before IOS
 * and EOS's `end`, ASA's `: end`, XR's closing `end` (added), otherwise after the configuration
 * and before the prompt; in the recording's own line ends.
 */
function withConfiguration(t: Transcript, platformId: string, text: string): Transcript {
  const commands = platformById(platformId)!.ssh!.configCommands.flat();
  const index = t.exchanges.findIndex((e) => commands.includes(e.command));
  if (index < 0) throw new Error(`${t.name}: no configuration command recorded`);
  const response = t.exchanges[index]!.response;
  const crlf = response.includes('\r\n') ? '\r\n' : '\n';
  const block = text.replace(/\n/g, crlf);
  let at: number;
  if (platformId === 'cisco-iosxr') {
    // The written recording: echo, configuration, `end`, prompt.
    const nl = response.indexOf('\n') + 1;
    const updated = response.slice(0, nl) + block + `end${crlf}` + response.slice(nl);
    return { ...t, exchanges: t.exchanges.map((e, i) => (i === index ? { ...e, response: updated } : e)) };
  }
  const anchor = platformId === 'cisco-asa' ? `${crlf}: end` : platformId === 'cisco-ios' || platformId === 'arista-eos' ? `${crlf}end${crlf}` : undefined;
  if (anchor && response.lastIndexOf(anchor) >= 0) at = response.lastIndexOf(anchor) + crlf.length;
  else if (response.endsWith('\n')) at = response.length;
  else at = response.lastIndexOf('\n') + 1;
  const updated = response.slice(0, at) + block + response.slice(at);
  return { ...t, exchanges: t.exchanges.map((e, i) => (i === index ? { ...e, response: updated } : e)) };
}

// ---- what a reader could meet ------------------------------------------------------------------

const htmlEscape = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A secret as it stands, JSON-escaped and HTML-escaped (a reader of any of them has it). */
function forms(secret: string): string[] {
  return [...new Set([secret, JSON.stringify(secret).slice(1, -1), htmlEscape(secret), htmlEscape(JSON.stringify(secret).slice(1, -1)), secret.replace(/'/g, '&#x27;')])];
}

/** The text with its secrets cut out: what must still stand around them, in order. */
function skeleton(text: string, secrets: readonly string[]): string[] {
  let parts = [text];
  for (const s of [...secrets].sort((a, b) => b.length - a.length)) parts = parts.flatMap((p) => p.split(s));
  return parts;
}

/**
 * Where `stored` stops holding the parts in order (the first at its start and the last at its end
 * when `whole`): undefined when it holds them all, else the part missing and the stored text
 * after the last part found.
 */
function skeletonGap(stored: string, parts: readonly string[], whole: boolean): string | undefined {
  const gap = skeletonBreak(stored, parts, whole);
  if (gap === undefined) return undefined;
  if (typeof gap.at === 'string') return `does not ${gap.at} with ${JSON.stringify(gap.part)}`;
  return `lacks ${JSON.stringify(gap.part)} after ${JSON.stringify(stored.slice(Math.max(0, gap.at - 80), gap.at))}, where it holds ${JSON.stringify(stored.slice(gap.at, gap.at + 160))}`;
}

/**
 * skeletonGap without its message, for the search over every stored line (the message, made for
 * each line that is not the one, was most of that search: 29 s of the file at load 30): the part
 * missing, and where the search for it began, or the text's start or end it is not.
 */
function skeletonBreak(stored: string, parts: readonly string[], whole: boolean): { part: string; at: number | 'start' | 'end' } | undefined {
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  if (whole && !stored.startsWith(first)) return { part: first, at: 'start' };
  if (whole && !stored.endsWith(last)) return { part: last, at: 'end' };
  let at = 0;
  for (const p of parts) {
    const i = stored.indexOf(p, at);
    if (i < 0) return { part: p, at };
    at = i + p.length;
  }
  return undefined;
}

const commonStart = (a: string, b: string): number => {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
};

/** Of stored texts, the one most like `text` (to show what became of it). */
function nearest(stored: readonly string[], text: string): { raw: string } | undefined {
  let best: { raw: string; score: [number, number] } | undefined;
  const reversed = [...text].reverse().join('');
  for (const raw of stored) {
    const score: [number, number] = [commonStart(raw, text), commonStart([...raw].reverse().join(''), reversed)];
    if (!best || score[0] > best.score[0] || (score[0] === best.score[0] && score[1] > best.score[1])) best = { raw, score };
  }
  return best && best.score[0] + best.score[1] > 0 ? best : undefined;
}

/** Every string inside a parsed JSON value. */
function strings(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) strings(x, out);
  else if (v && typeof v === 'object') for (const x of Object.values(v)) strings(x, out);
  return out;
}

// ---- the run -----------------------------------------------------------------------------------

/** Where each secret could be found: a name and the bytes or text read there. */
const artefacts = new Map<string, Buffer | string>();
/** The artefacts, searched for every form of every secret (test/support/haystack.ts: why). */
let haystack: Haystack;
let parseLines: Array<{ line: number; header: { message: string } } & Record<string, unknown>> = [];
let parseStrings: string[][] = [];
const stored: Array<{ transport: string; raw: string }> = [];
const snapshots = new Map<string, string>();
const direct = new Map<string, string>();
let pullRun: Run;
const rejected = new Map<string, number>();
const pulledDevice = new Map<string, string>();

const emulators: RunningEmulator[] = [];
let serve: ChildProcess | undefined;
afterAll(async () => {
  if (serve && serve.exitCode === null) serve.kill('SIGKILL');
  for (const e of emulators) await e.close();
});

/** A frame whose octet count promises more than the connection brings before it closes. */
function sendTruncated(port: number, line: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => s.end(`${Buffer.byteLength(line) + 100} ${line}`));
    s.on('error', reject);
    s.on('close', () => resolve());
  });
}

function sendTcp(port: number, lines: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    // RFC 6587 octet counting: the frames say their length, so no byte of a line is taken for framing.
    const frames = lines.map((l) => `${Buffer.byteLength(l)} ${l}`).join('');
    const s = net.connect(port, '127.0.0.1', () => s.end(frames));
    s.on('error', reject);
    s.on('close', () => resolve());
  });
}

beforeAll(async () => {
  const dir = tempDir('aaawatch-secret-corpus-');
  const dbPath = join(dir, 'aaawatch.db');
  const config = join(dir, 'aaawatch.yaml');
  const port = await freePort();
  const webPort = await freePort();
  const creds = join(dir, 'credentials.yaml');
  writeFileSync(creds, `default:\n  username: aaawatch\n  password: ${EMULATOR_PASSWORD}\n  enableSecret: ${EMULATOR_ENABLE}\n`);
  chmodSync(creds, 0o600);

  // One emulated device per pulled platform, its configuration holding every entry of that platform.
  const devices: string[] = [];
  for (const platformId of [...new Set(configs.map((e) => e.platform))]) {
    const platform = platformById(platformId);
    const pulled = platform && isPullable(platform) ? platform : undefined;
    const base = pulled ? baseTranscript(platformId) : undefined;
    const own = configs.filter((e) => e.platform === platformId);
    if (!base || !pulled) {
      // Not pulled: the configuration goes through the redaction a pull would apply, or the generic one.
      for (const e of own) direct.set(e.id, platform?.redact ? platform.redact(e.text) : redactSecrets(e.text));
      continue;
    }
    const transcript = withConfiguration(base, platformId, own.map((e) => e.text).join(''));
    // Platforms that raise their privilege with `enable` start unprivileged and are asked for it.
    const emu = await startEmulator({
      transcript,
      ...(pulled.ssh!.enable ? { enableSecret: EMULATOR_ENABLE } : {}),
      // Answers the platform's pull asks for and the recordings lack (RouterOS users, FTD `show user`).
      extra: RECORDINGS.get(transcript.model)?.extra ?? [],
    });
    emulators.push(emu);
    const name = `secrets-${platformId}`;
    for (const e of own) pulledDevice.set(e.id, name);
    devices.push(`  - { name: ${name}, address: 127.0.0.1, port: ${emu.port}, platform: ${platformId} }`);
  }
  writeFileSync(
    config,
    [
      `ingest:\n  udp: { host: 127.0.0.1, port: ${port} }\n  tcp: { host: 127.0.0.1, port: ${port} }\n  maxMessageBytes: ${MAX_MESSAGE}\n  allow: [127.0.0.1/32]`,
      `store:\n  path: ${dbPath}\n  storeAllMessages: true\n  keepRejectedPerReason: 100000`,
      `web: { host: 127.0.0.1, port: ${webPort} }`,
      'log: { level: debug }',
      `devices:\n${devices.join('\n')}`,
      `pull:\n  credentialsFile: ${creds}\n  retries: 0`,
    ].join('\n') + '\n',
  );

  // Import files, then the pulls, into the store serve will use.
  for (const e of imports) {
    const file = join(dir, `${e.id.replace(/[^\w.-]/g, '_')}${e.text.startsWith('{') ? '.json' : '.log'}`);
    writeFileSync(file, e.text);
    const run = await aaawatch(config, ['import', file]);
    artefacts.set(`aaawatch import ${e.id} output`, run.stdout + run.stderr);
  }
  pullRun = await aaawatch(config, ['pull', '--all']);
  artefacts.set('aaawatch pull output', pullRun.stdout + pullRun.stderr);
  const pwFile = join(dir, 'pw');
  writeFileSync(pwFile, `${PASSWORD.auditor}\n`, { mode: 0o600 });
  await aaawatch(config, ['user', 'add', 'auditor', '--role', 'auditor', '--password-file', pwFile]);
  const token = (await aaawatch(config, ['user', 'token', 'auditor'])).stdout.trim();

  // Every log line to `aaawatch parse`, one process.
  const lineFile = join(dir, 'lines.log');
  writeFileSync(lineFile, logs.map((e) => e.text).join('\n') + '\n');
  const parsed = await aaawatch(config, ['parse', lineFile, '--received-at', '2026-11-21T22:30:00Z']);
  artefacts.set('aaawatch parse output', parsed.stdout + parsed.stderr);
  parseLines = parsed.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as (typeof parseLines)[number]);
  parseStrings = logs.map((_, i) => strings(parseLines.find((p) => p.line === i + 1) ?? {}));

  // One serve for everything: each log line over UDP and over TCP.
  serve = spawn(process.execPath, [CLI, 'serve', '--config', config], { cwd: REPO, env: { ...process.env, AAAWATCH_CONFIG: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const watched: Watched = watch(serve);
  const base = `http://127.0.0.1:${webPort}`;
  await until('serve listening', async () => (await fetch(`${base}/login`).catch(() => undefined))?.status === 200);
  // The web thread can answer before the main thread has bound the syslog sockets (a loaded machine):
  // datagrams sent before the UDP bind are lost without a trace, so wait for both listeners too.
  await watched.said('syslog UDP listening');
  await watched.said('syslog TCP listening');
  const reader = new Database(dbPath, { readonly: true });
  const seen = (text: string): boolean =>
    reader.prepare("SELECT 1 FROM messages WHERE raw LIKE ? UNION ALL SELECT 1 FROM events WHERE raw LIKE ? LIMIT 1").get(`%${text}%`, `%${text}%`) !== undefined;
  // UDP has no flow control: a store thread behind (another test file busy beside this one) sheds
  // records, and counts them. The lines go in chunks, each closed by a marker that is waited for.
  const CHUNK = 40;
  for (let at = 0; at < logs.length; at += CHUNK) {
    const marker = `corpus-chunk-${at}-udp`;
    await sendDatagrams(port, [...logs.slice(at, at + CHUNK).map((e) => e.text), `<14>Nov 21 22:10:59 corpus-end test: ${marker}`], { gapMs: 2 });
    await until(`UDP lines ${at}+ stored`, () => seen(marker));
  }
  await sendDatagrams(port, ['<14>Nov 21 22:10:59 corpus-end test: corpus-end-udp'], { gapMs: 2 });
  await sendTcp(port, [...logs.map((e) => e.text), '<14>Nov 21 22:10:59 corpus-end test: corpus-end-tcp']);
  await until('both transports stored to their last line', () => seen('corpus-end-udp') && seen('corpus-end-tcp'));
  // Every line again, as input serve refuses and keeps (the rejects table).
  await sendDatagrams(port, logs.map((e) => e.text), { gapMs: 2, from: '127.0.0.2' });
  await sendDatagrams(port, logs.map((e) => `${e.text} ${'x'.repeat(MAX_MESSAGE)}`), { gapMs: 2 });
  for (const e of logs) await sendTruncated(port, e.text);
  let kept = -1;
  await until('rejected input kept', async () => {
    const n = (reader.prepare('SELECT count(*) AS n FROM rejects').get() as { n: number }).n;
    if (n >= 3 * logs.length) return true;
    const settled = n === kept;
    kept = n;
    await new Promise((r) => setTimeout(r, 2000));
    return settled;
  });
  for (const r of reader.prepare('SELECT reason, count(*) AS n FROM rejects GROUP BY reason').all() as Array<{ reason: string; n: number }>) rejected.set(r.reason, r.n);

  // Reconciliation raises findings from the account records; wait until it has settled.
  let findings = -1;
  await until('findings settled', async () => {
    const n = (reader.prepare('SELECT count(*) AS n FROM findings').get() as { n: number }).n;
    const settled = n > 0 && n === findings;
    findings = n;
    if (!settled) await new Promise((r) => setTimeout(r, 1000));
    return settled;
  });

  // What is stored, as text.
  for (const r of reader.prepare('SELECT transport, raw FROM events WHERE raw IS NOT NULL UNION ALL SELECT transport, raw FROM messages').all() as Array<{ transport: string; raw: string }>) stored.push(r);
  for (const r of reader.prepare('SELECT device, config FROM snapshots ORDER BY id').all() as Array<{ device: string; config: string }>) snapshots.set(r.device, r.config.replace(/\r\n/g, '\n'));
  reader.close();

  // The API and the pages that show raw lines and records, every page of them.
  const api = async (path: string): Promise<unknown> => {
    const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
    const text = await res.text();
    artefacts.set(`GET ${path}`, text);
    return JSON.parse(text) as unknown;
  };
  const auditor = await signIn(base, 'auditor');
  const page = async (path: string): Promise<void> => {
    const res = await auditor.get(path);
    artefacts.set(`GET ${path} (page)`, await res.text());
  };
  // Every record, a page at a time, as JSON and as the audit trail page.
  let older: string | null = null;
  do {
    const cursor = older ? `?before=${older}` : '';
    const list = (await api(`/api/events${cursor}`)) as { older: string | null };
    await page(`/audit${cursor}`);
    older = list.older;
  } while (older);
  const deviceList = (await api('/api/devices')) as { devices: Array<{ device: string }> };
  for (const { device: name } of deviceList.devices) {
    await api(`/api/devices/${encodeURIComponent(name)}`);
    await page(`/devices/${encodeURIComponent(name)}`);
  }
  const findingList = (await api('/api/findings')) as { findings: Array<{ id: number; device: string; account: string | null }> };
  for (const f of findingList.findings) {
    await api(`/api/findings/${f.id}`);
    await page(`/findings/${f.id}`);
    if (f.account) await page(`/case?device=${encodeURIComponent(f.device)}&account=${encodeURIComponent(f.account)}`);
  }
  await page('/');

  // The exports.
  for (const name of ['accounts.csv', 'findings.csv', 'decisions.csv', 'report.json']) {
    const res = await fetch(`${base}/api/exports/${name}`, { headers: { authorization: `Bearer ${token}` } });
    artefacts.set(`export ${name}`, await res.text());
  }
  const zip = await fetch(`${base}/api/exports/evidence.zip`, { headers: { authorization: `Bearer ${token}` } });
  const pack = Buffer.from(await zip.arrayBuffer());
  artefacts.set('export evidence.zip (as sent)', pack);
  for (const [file, bytes] of Object.entries(unzipSync(pack))) artefacts.set(`export evidence.zip: ${file}`, Buffer.from(bytes));

  // What the command line shows of it.
  for (const args of [['unknowns'], ['stats'], ['findings', '--json'], ['accounts', '--json'], ['reconcile', '--rows', '--json']]) {
    const run = await aaawatch(config, args);
    artefacts.set(`aaawatch ${args.join(' ')}`, run.stdout + run.stderr);
  }
  for (const device of new Set(pulledDevice.values())) {
    for (const args of [['snapshots', device, '--show'], ['diff', device]]) {
      const run = await aaawatch(config, args);
      artefacts.set(`aaawatch ${args.join(' ')}`, run.stdout + run.stderr);
    }
  }

  // The database as it stands while serving (WAL and shared memory included), and after.
  for (const suffix of ['', '-wal', '-shm']) if (existsSync(dbPath + suffix)) artefacts.set(`aaawatch.db${suffix} (serving)`, readFileSync(dbPath + suffix));
  await watched.stop();
  artefacts.set('serve output', watched.output());
  for (const suffix of ['', '-wal', '-shm']) if (existsSync(dbPath + suffix)) artefacts.set(`aaawatch.db${suffix} (stopped)`, readFileSync(dbPath + suffix));
  haystack = new Haystack(artefacts);
}, 600_000);

/** Where any form of the secret was found. */
const foundIn = (secret: string): string[] => haystack.holding(forms(secret));

describe('the secret corpus', () => {
  it('is consistent, holds at least 300 lines, and covers every platform, logs and configurations', () => {
    expect(corpusProblems(entries)).toEqual([]);
    expect(corpusLineCount(entries)).toBeGreaterThanOrEqual(300);
    const covered = new Set(entries.map((e) => e.platform));
    // Every platform has entries of its own: a new platform without them fails here.
    expect(platforms.map((p) => p.id).filter((id) => !covered.has(id))).toEqual([]);
    expect(covered.has('aruba')).toBe(true);
    for (const kind of ['log', 'config', 'import'] as const) expect(entries.some((e) => e.kind === kind)).toBe(true);
    expect(entries.filter((e) => e.secrets.length === 0).length).toBeGreaterThan(50);
  });

  it('was taken in: every pull succeeded, every line parsed and stored over both transports', () => {
    expect(pullRun.code, pullRun.stdout + pullRun.stderr).toBe(0);
    for (const device of new Set(pulledDevice.values())) expect(snapshots.has(device), device).toBe(true);
    expect(parseLines).toHaveLength(logs.length);
    expect(stored.filter((r) => r.transport === 'udp').length).toBeGreaterThanOrEqual(logs.length);
    expect(stored.filter((r) => r.transport === 'tcp').length).toBeGreaterThanOrEqual(logs.length);
    expect(Object.fromEntries(rejected)).toEqual({ 'source-not-allowed': logs.length, 'oversize-datagram': logs.length, 'truncated-frame': logs.length });
  });
});

/** What is stored over a transport, gathered once for the ~3,400 tests that read it (a filter each was ~6 ms a test at load 25). */
const byTransport = new Map<string, { raw: string[]; exact: Set<string> }>();
function storedOver(transport: string): { raw: string[]; exact: Set<string> } {
  let rows = byTransport.get(transport);
  if (!rows) {
    const raw = stored.filter((r) => r.transport === transport).map((r) => r.raw);
    byTransport.set(transport, (rows = { raw, exact: new Set(raw) }));
  }
  return rows;
}

const label = (e: SecretEntry): string => `${e.id} ${e.kind}${e.secrets.length === 0 ? ' (negative)' : ''}: ${e.cite}`;

describe.each(logs.map((e) => [label(e), e] as const))('log line %s', (_, e) => {
  const index = logs.indexOf(e);
  const parts = skeleton(e.text, e.secrets);

  if (e.secrets.length > 0) {
    it('leaves no trace of its secrets anywhere', () => {
      for (const s of e.secrets) expect(foundIn(s), s).toEqual([]);
    });
  }

  it('is stored over UDP and TCP with everything around its secrets unchanged', () => {
    for (const transport of ['udp', 'tcp']) {
      const rows = storedOver(transport);
      if (e.secrets.length === 0 ? rows.exact.has(e.text) : rows.raw.some((raw) => skeletonBreak(raw, parts, true) === undefined)) continue;
      // The stored message nearest to it: the longest common start, then the longest common end.
      const near = nearest(rows.raw, e.text);
      expect.fail(`${transport}: ${near ? `stored as ${JSON.stringify(near.raw)}: ${skeletonGap(near.raw, parts, true) ?? 'differs'}` : 'not stored at all'}`);
    }
  });

  it('keeps its words in `aaawatch parse` output', () => {
    const texts = parseStrings[index]!;
    for (const k of e.keep) expect(texts.some((t) => t.includes(k)), k).toBe(true);
  });
});

describe.each(configs.map((e) => [label(e), e] as const))('configuration %s', (_, e) => {
  // A platform reads a configuration as lines and keeps `\n` ends; one read by the gate alone keeps its bytes.
  const parts = skeleton(platformById(e.platform)?.redact ? e.text.replace(/\r*\n/g, '\n') : e.text, e.secrets);
  const text = (): string => direct.get(e.id) ?? snapshots.get(pulledDevice.get(e.id) ?? '') ?? '';

  if (e.secrets.length > 0) {
    it('leaves no trace of its secrets anywhere', () => {
      for (const s of e.secrets) {
        expect(foundIn(s), s).toEqual([]);
        expect(text().includes(s), `${s} in the redacted configuration`).toBe(false);
      }
    });
  }

  it('keeps everything around its secrets unchanged', () => {
    expect(text(), 'the configuration was not pulled').not.toBe('');
    const gap = skeletonGap(text(), parts, false);
    if (gap) expect.fail(gap);
    for (const k of e.keep) expect(text().includes(k), k).toBe(true);
  });
});

describe.each(imports.map((e) => [label(e), e] as const))('import file %s', (_, e) => {
  it('leaves no trace of its secrets anywhere', () => {
    for (const s of e.secrets) expect(foundIn(s), s).toEqual([]);
  });

  it('is stored with its words unchanged', () => {
    const rows = stored.filter((r) => r.transport === 'file');
    for (const k of e.keep) expect(rows.some((r) => r.raw.includes(k)), k).toBe(true);
  });
});
