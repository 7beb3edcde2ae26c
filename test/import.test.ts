// `aaawatch import`, run as built: a file, standard input, gzip by name or by content, a
// CloudTrail `Records` file, a progress line only on a terminal, a summary; and memory that does
// not grow with the file (200 MB of lines, plain and gzipped, through standard input).

import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip, gzipSync } from 'node:zlib';
import { Readable } from 'node:stream';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { corpusPath, REPO } from './support/corpus.js';
import { tempDir } from './support/temp.js';
import { toolOrSkip } from './support/tools.js';

const CLI = join(REPO, 'dist/src/cli.js');

interface Summary {
  file: string;
  format: string;
  bytes: number;
  read: number;
  records: number;
  malformed: number;
  seconds: number;
  peakRssBytes: number;
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Run the CLI; `input` is written to its standard input (a generator is streamed, with
 * back-pressure); `node` options go before the script.
 */
function aaawatch(args: string[], input?: Buffer | AsyncIterable<Buffer>, node: string[] = []): Promise<Run> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [...node, CLI, ...args], { env: { ...process.env, AAAWATCH_CONFIG: '' } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    if (input === undefined) p.stdin.end();
    else if (Buffer.isBuffer(input)) p.stdin.end(input);
    else pipeline(Readable.from(input), p.stdin).catch(reject);
  });
}

let dir: string;
let config: string;
let n = 0;
/** A configuration with a database of its own. */
function freshConfig(): string {
  const file = join(dir, `import-${++n}.yaml`);
  writeFileSync(file, `store:\n  path: ${join(dir, `import-${n}.db`)}\n`);
  return file;
}

beforeAll(() => {
  dir = tempDir('aaawatch-import-');
  config = freshConfig();
});

const summary = (r: Run): Summary => {
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Summary;
};

describe('aaawatch import', () => {
  const lab = readFileSync(corpusPath('syslog', 'cisco-ios', 'lab-syslog.log'));

  it('reads a file, standard input, and gzip by name or by content, alike', async () => {
    const gzFile = join(dir, 'lab.log.gz');
    writeFileSync(gzFile, gzipSync(lab));
    const runs = [
      summary(await aaawatch(['import', corpusPath('syslog', 'cisco-ios', 'lab-syslog.log'), '--json', '--config', freshConfig()])),
      summary(await aaawatch(['import', '-', '--json', '--config', freshConfig()], lab)),
      summary(await aaawatch(['import', gzFile, '--json', '--config', freshConfig()])),
      summary(await aaawatch(['import', '-', '--json', '--config', freshConfig()], gzipSync(lab))),
    ];
    for (const s of runs) expect(s).toMatchObject({ format: 'lines', read: 10, malformed: 0 });
    expect(runs[0]!.records).toBeGreaterThan(0);
    expect(new Set(runs.map((s) => s.records)).size).toBe(1);
  });

  it('reads a CloudTrail Records file entry by entry, and counts what is not a record', async () => {
    const events = readFileSync(corpusPath('cloud', 'aws_iam_create_user.tests.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => (JSON.parse(l) as { Log: unknown }).Log);
    const file = join(dir, 'cloudtrail.json.gz');
    writeFileSync(file, gzipSync(JSON.stringify({ Records: [...events, 'not a record'] }, null, 2)));
    const s = summary(await aaawatch(['import', file, '--json', '--config', freshConfig()]));
    expect(s).toMatchObject({ format: 'aws-cloudtrail', read: events.length + 1, malformed: 1 });
    // The same events as JSON lines give the same records.
    const asLines = summary(await aaawatch(['import', '-', '--json', '--config', freshConfig()], Buffer.from(events.map((e) => JSON.stringify(e)).join('\n'))));
    expect(asLines).toMatchObject({ format: 'lines', read: events.length, malformed: 0 });
    expect(s.records).toBeGreaterThan(0);
    expect(s.records).toBe(asLines.records);
  });

  it('says what it read in a line at the end; no progress line when standard error is not a terminal', async () => {
    const r = await aaawatch(['import', '-', '--config', config], lab);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^-: 10 lines read, \d+ records stored, 0 malformed, \d+\.\d s\n$/);
    expect(r.stderr).toBe('');
  });

  it('shows its progress on a terminal, in one line rewritten in place', async (ctx) => {
    const script = toolOrSkip(ctx, 'script');
    const file = join(dir, 'progress.log');
    writeFileSync(file, lab);
    // util-linux script(1) runs the command on a pseudo-terminal.
    const command = [process.execPath, CLI, 'import', file, '--config', freshConfig()].map((a) => `'${a}'`).join(' ');
    const out = await new Promise<string>((resolve) => {
      const p = spawn(script, ['-qec', command, '/dev/null'], { env: { ...process.env, AAAWATCH_CONFIG: '' } });
      let text = '';
      p.stdout.on('data', (d: Buffer) => (text += d.toString()));
      p.on('close', () => resolve(text));
    });
    expect(out).toContain(`\r\x1b[K${file}: `);
    expect(out).toMatch(/records stored/);
    expect(out).toMatch(/10 lines read, \d+ records stored, 0 malformed/);
  });

  it('a .gz cut short or damaged, as a file or on standard input, is a runtime failure that says so; what came before is stored', async () => {
    const lines = Buffer.from(Array.from({ length: 20_000 }, () => lab.toString('utf8').split('\n')[0]!).join('\n') + '\n');
    const whole = gzipSync(lines);
    const cut = whole.subarray(0, whole.length >> 1);
    const damaged = Buffer.from(whole);
    damaged.fill(0, whole.length >> 2, (whole.length >> 2) + 8);
    const cutFile = join(dir, 'cut short.log.gz');
    writeFileSync(cutFile, cut);
    for (const [args, input] of [[[cutFile], undefined], [['-'], cut]] as const) {
      const db = freshConfig();
      const r = await aaawatch(['import', ...args, '--config', db], input);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(/: the gzip data ends early: the \.gz is cut short \(unexpected end of file\); the [\d,]+ read before it are stored\n$/);
      const read = Number(/the ([\d,]+) read/.exec(r.stderr)![1]!.replace(/,/g, ''));
      expect(read).toBeGreaterThan(0);
      expect(read).toBeLessThan(20_000);
      const stored = new Database(join(dir, `import-${n}.db`), { readonly: true });
      expect((stored.prepare('SELECT count(*) AS n FROM messages').get() as { n: number }).n + (stored.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n).toBeGreaterThan(0);
      stored.close();
    }
    const r = await aaawatch(['import', '-', '--config', freshConfig()], damaged);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^aaawatch: -: the gzip data is damaged \(/);
  });

  it('--source takes an IPv4 or IPv6 address only (else a usage error), an IPv4-mapped one as the IPv4 address sockets report', async () => {
    for (const bad of ['not-an-address', '', '192.0.2.300', '10.0.0.0/8']) {
      const r = await aaawatch(['import', '-', '--source', bad, '--config', config], lab);
      expect(r.code, bad).toBe(2);
      expect(r.stderr).toContain(`argument '${bad}' is invalid. an IPv4 or IPv6 address`);
    }
    const file = freshConfig();
    expect((await aaawatch(['import', '-', '--source', '::FFFF:192.0.2.12', '--config', file], lab)).code).toBe(0);
    expect((await aaawatch(['import', '-', '--source', '2001:DB8::12', '--config', file], lab)).code).toBe(0);
    const stored = new Database(join(dir, `import-${n}.db`), { readonly: true });
    const sources = (stored.prepare('SELECT DISTINCT source FROM events ORDER BY source').all() as Array<{ source: string }>).map((r) => r.source);
    stored.close();
    expect(sources).toEqual(['192.0.2.12', '2001:db8::12']);
  });

  it('is in the activity log, chained: who imported which bytes (SHA-256 as sha256sum gives it), what was stored, and the receive time its records carry', async () => {
    const file = join(dir, 'logged.log.gz');
    const gz = gzipSync(lab);
    writeFileSync(file, gz);
    const long = gzipSync(Buffer.from(Array.from({ length: 2000 }, () => lab.toString('utf8')).join('')));
    const cut = long.subarray(0, long.length >> 1);
    const db = freshConfig();
    const s = summary(await aaawatch(['import', file, '--json', '--source', '192.0.2.7', '--config', db]));
    expect((await aaawatch(['import', '-', '--config', db], cut)).code).toBe(1);
    const stored = new Database(join(dir, `import-${n}.db`), { readonly: true });
    const logged = (stored.prepare("SELECT user, address, detail FROM web_audit WHERE action = 'import' ORDER BY id").all() as Array<{ user: string; address: string | null; detail: string }>).map((r) => ({ ...r, detail: JSON.parse(r.detail) as Record<string, unknown> }));
    const received = (stored.prepare("SELECT DISTINCT received_at AS at FROM events WHERE transport = 'file' ORDER BY received_at").all() as Array<{ at: number }>).map((r) => new Date(r.at).toISOString());
    stored.close();
    expect(logged).toHaveLength(2);
    expect(logged[0]!.user).toMatch(/ \(command line\)$/);
    expect(logged[0]!.address).toBeNull();
    expect(logged[0]!.detail).toEqual({
      file, format: 'lines', bytes: gz.length, sha256: createHash('sha256').update(gz).digest('hex'), read: 10, records: s.records, notUtf8: 0, malformed: 0, source: '192.0.2.7', receivedAt: received[0],
    });
    // Cut short: what came before is stored, and the entry says where reading stopped.
    expect(logged[1]!.detail).toMatchObject({ file: '(standard input)', bytes: cut.length, sha256: createHash('sha256').update(cut).digest('hex'), receivedAt: received[1] });
    expect(logged[1]!.detail.stopped).toMatch(/^the gzip data ends early/);
    const verify = await aaawatch(['verify', '--config', db]);
    expect(verify.stdout).toContain('activity log OK: 2 entries chained');
  });

  it('a file that is not there is a runtime failure, named', async () => {
    const r = await aaawatch(['import', join(dir, 'absent.log'), '--config', config]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('cannot read');
    expect(r.stderr).toContain('ENOENT');
  });
});

/** The records a store holds, in a stable order, as `import` of the same events as JSON lines would store them. */
function storedRecords(db: string): unknown[] {
  const stored = new Database(db, { readonly: true });
  // A record whose event names no usable time is placed at its receipt, the import's own time.
  const rows = stored.prepare("SELECT kind, action, CASE WHEN time = received_at THEN 'received' ELSE time END AS at, device, platform, actor, actor_address, target, privilege, role, grp FROM events ORDER BY at, kind, action, target, actor").all();
  stored.close();
  return rows;
}

/** Import `input` (a file path, or bytes through standard input) into a fresh store: the summary, and the records stored. */
async function imported(input: string | Buffer): Promise<{ s: Summary; records: unknown[] }> {
  const cfg = freshConfig();
  const db = join(dir, `import-${n}.db`);
  const r = typeof input === 'string' ? await aaawatch(['import', input, '--json', '--config', cfg]) : await aaawatch(['import', '-', '--json', '--config', cfg], input);
  return { s: summary(r), records: storedRecords(db) };
}

/** The rules' test events of the corpus files matching `prefix` (each line's `Log`). */
const events = (prefix: string): unknown[] =>
  readdirSync(corpusPath('cloud'))
    .filter((f) => f.startsWith(prefix) && f.endsWith('.tests.jsonl'))
    .sort()
    .flatMap((f) => readFileSync(corpusPath('cloud', f), 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { Log: unknown }).Log));

const jsonLines = (list: unknown[]): Buffer => Buffer.from(list.map((e) => JSON.stringify(e)).join('\n') + '\n');

describe('aaawatch import: files as APIs and their tools write them', () => {
  it('`aws cloudtrail lookup-events` output: each event\'s CloudTrailEvent is the record, as in a Records file', async () => {
    // The AWS CLI's own example output (one ConsoleLogin, which records nothing): read as lines it was 12 fragments.
    const example = await imported(corpusPath('cloud', 'awscli-lookup-events-output.json'));
    expect(example.s).toMatchObject({ format: 'aws-cloudtrail', read: 1, malformed: 0 });
    const trail = events('aws_');
    const page = (list: unknown[]): unknown => ({
      Events: list.map((e, i) => ({ EventId: `e${i}`, EventName: (e as { eventName?: string }).eventName, CloudTrailEvent: JSON.stringify(e), Resources: [] })),
      NextToken: 'token',
    });
    // Two pages printed one after the other, as a script paging with --starting-token keeps them.
    const half = trail.length >> 1;
    const file = join(dir, 'lookup-events.json');
    writeFileSync(file, `${JSON.stringify(page(trail.slice(0, half)), null, 4)}\n${JSON.stringify(page(trail.slice(half)), null, 4)}\n`);
    const asLines = await imported(jsonLines(trail));
    expect(asLines.records.length).toBeGreaterThan(0);
    const lookup = await imported(file);
    expect(lookup.s).toMatchObject({ format: 'aws-cloudtrail', read: trail.length, malformed: 0 });
    expect(lookup.records).toEqual(asLines.records);
  });

  it('JSON events other than one a line (an API\'s array, a Graph page, pretty-printed events) store what the same events as JSON lines store', async () => {
    // Microsoft's own example page of /auditLogs/directoryAudits: read as lines it was 43 fragments.
    const graph = await imported(corpusPath('cloud', 'msgraph-docs-directoryaudit-list.json'));
    expect(graph.s).toMatchObject({ format: 'json', read: 1, malformed: 0 });
    const cases: Array<[string, unknown[], (list: unknown[]) => string]> = [
      // Okta's /api/v1/logs: an array, on one line.
      ['okta_', events('okta_'), (list) => JSON.stringify(list)],
      // Graph pages as ConvertTo-Json writes them, concatenated.
      ['azure_', events('azure_'), (list) => [list.slice(0, 5), list.slice(5)].map((v) => JSON.stringify({ '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#auditLogs/directoryAudits', value: v, '@odata.nextLink': 'x' }, null, 4)).join('\n')],
      // `jq '.Records[]'`: events pretty-printed one after another; and an array pretty-printed (`jq -s`).
      ['aws_', events('aws_'), (list) => list.map((e) => JSON.stringify(e, null, 2)).join('\n')],
      ['aws_', events('aws_'), (list) => JSON.stringify(list, null, 2)],
      // Google's Reports API page (`items`).
      ['google', readFileSync(corpusPath('cloud', 'elastic-google-workspace-admin-user-original.relevant'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as unknown),
        (list) => JSON.stringify({ kind: 'admin#reports#activities', etag: '"e"', items: list }, null, 2)],
    ];
    for (const [name, list, write] of cases) {
      const asLines = await imported(jsonLines(list));
      const doc = await imported(Buffer.from(write(list)));
      expect(doc.s, name).toMatchObject({ format: 'json', read: list.length, malformed: 0 });
      expect(asLines.s.records, name).toBeGreaterThan(0);
      expect(doc.records, name).toEqual(asLines.records);
    }
    // What is not an event is counted; JSON lines stay lines.
    const odd = await imported(Buffer.from(JSON.stringify([events('okta_')[0], 7, 'text'], null, 1)));
    expect(odd.s).toMatchObject({ format: 'json', read: 3, malformed: 2 });
    expect((await imported(jsonLines(events('okta_')))).s.format).toBe('lines');
    // A file cut inside a value stores what came before and counts the rest as one malformed entry.
    const cut = JSON.stringify(events('okta_'), null, 2);
    const part = await imported(Buffer.from(cut.slice(0, cut.length >> 1)));
    expect(part.s.malformed).toBe(1);
    expect(part.s.read).toBeGreaterThan(1);
  });

  it('Windows event XML over several lines (Event Viewer\'s rendering, under an <Events> root as EVTX-to-XML tools write it): each event read whole', async () => {
    // Microsoft's example events: read as lines, 46 fragments of the first, 4 of them malformed event XML and no record.
    const folder = corpusPath('envelopes', 'windows-xml');
    const files = readdirSync(folder).sort().map((f) => join(folder, f));
    const one = await imported(files[0]!);
    expect(one.s).toMatchObject({ format: 'xml', read: 1, malformed: 0 });
    expect(one.records).toHaveLength(1);
    const each = [];
    for (const f of files) each.push(...(await imported(f)).records);
    const all = await imported(Buffer.from(`<?xml version="1.0" encoding="utf-8"?>\r\n<Events>\r\n${files.map((f) => readFileSync(f, 'utf8')).join('')}</Events>\r\n`));
    expect(all.s).toMatchObject({ format: 'xml', read: files.length, malformed: 0 });
    expect(all.records.length).toBeGreaterThanOrEqual(files.length);
    const rows = (list: unknown[]): string[] => list.map((r) => JSON.stringify(r)).sort();
    expect(rows(all.records)).toEqual(rows(each));
  });

  it('UTF-16 with a byte order mark (as Windows tools write text), or without, reads as its UTF-8 does, as a file or gzipped on standard input', async () => {
    const utf8 = readFileSync(corpusPath('syslog', 'linux', 'test-auth.log'));
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(utf8.toString('utf8'), 'utf16le')]);
    const be = Buffer.from(le);
    be.swap16();
    const base = await imported(utf8);
    expect(base.records.length).toBeGreaterThan(0);
    const file = join(dir, 'utf16le.log');
    writeFileSync(file, le);
    // Without the mark too (a Windows tool's UTF-16 written without one): each NUL is not taken for a run of them.
    for (const input of [file, gzipSync(le), be, le.subarray(2), be.subarray(2)]) {
      const r = await imported(input);
      expect(r.s).toMatchObject({ format: 'lines', read: base.s.read, malformed: base.s.malformed });
      expect(r.records).toEqual(base.records);
    }
    // A CloudTrail file in UTF-16 is still claimed by its shape.
    const trail = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(JSON.stringify({ Records: events('aws_') }), 'utf16le')]);
    expect((await imported(trail)).s).toMatchObject({ format: 'aws-cloudtrail', read: events('aws_').length, malformed: 0 });
  });

  it('a directory is refused before the store is opened, saying what to do', async () => {
    const cfg = freshConfig();
    const r = await aaawatch(['import', dir, '--config', cfg]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`cannot read ${dir}: it is a directory`);
    expect(r.stderr).toContain('aaawatch import -');
    expect(existsSync(join(dir, `import-${n}.db`))).toBe(false);
  });
});

describe('aaawatch import in constant memory', () => {
  const MB = 1e6;
  /** `total` bytes of syslog lines, made as they are read; every 1000th a recognised IOS command. */
  async function* lines(total: number): AsyncGenerator<Buffer> {
    const pad = 'x'.repeat(900);
    let made = 0;
    for (let i = 0; made < total; i++) {
      const batch: string[] = [];
      for (let j = 0; j < 256; j++, i++) {
        batch.push(
          i % 1000 === 0
            ? `<189>${i}: *Nov 21 22:10:01.123 UTC: %PARSER-5-CFGLOG_LOGGEDCMD: User:admin  logged command:username u${i} privilege 15 secret *\n`
            : `<13>Nov 21 22:10:01 host${i % 50} app[${i}]: line ${i} ${pad}\n`,
        );
      }
      const chunk = Buffer.from(batch.join(''));
      made += chunk.length;
      yield chunk;
    }
  }
  async function* gzipped(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    yield* Readable.from(source).pipe(createGzip({ level: 1 })) as AsyncIterable<Buffer>;
  }

  // V8 sizes its heap from how fast its collections ran: on a machine busy with other work (another
  // test file beside this one) they look slow, and it lets the heap grow to up to four times what
  // is live before collecting again (92 MB more than for 2 MB in one such run). A fixed growing
  // factor makes the peak follow what the import keeps, not what runs beside it.
  const FIXED_HEAP_GROWTH = ['--heap-growing-percent=50'];

  it('200 MB of lines through standard input, plain and gzipped: peak memory as for 2 MB', { timeout: 600_000 }, async () => {
    const small = summary(await aaawatch(['import', '-', '--json', '--config', freshConfig()], lines(2 * MB), FIXED_HEAP_GROWTH));
    const large = summary(await aaawatch(['import', '-', '--json', '--config', freshConfig()], lines(200 * MB), FIXED_HEAP_GROWTH));
    const packed = summary(await aaawatch(['import', '-', '--json', '--config', freshConfig()], gzipped(lines(200 * MB)), FIXED_HEAP_GROWTH));
    expect(large.bytes).toBeGreaterThanOrEqual(200 * MB);
    expect(large.read).toBeGreaterThan(200_000);
    expect(packed.read).toBe(large.read);
    expect(large.records).toBe(packed.records);
    expect(large.records).toBeGreaterThanOrEqual(Math.floor(large.read / 1000));
    // A hundred times the input, and the memory it needs grows by less than a quarter of one copy of it.
    expect(large.peakRssBytes - small.peakRssBytes).toBeLessThan(50 * MB);
    expect(packed.peakRssBytes - small.peakRssBytes).toBeLessThan(50 * MB);
  });
});

describe('aaawatch import: what log files hold besides lines', () => {
  const linux = (name: string): Buffer => readFileSync(corpusPath('syslog', 'linux', name));
  // Real useradd/usermod/userdel lines, each a record.
  const before = Buffer.concat([linux('test-usermod-group.log'), Buffer.from('\n')]);
  const after = linux('test-userdel.log');

  it('a run of NUL bytes (copytruncate under a writer that keeps its offset, a crash) ends a line, is counted once as malformed and kept nowhere; the lines after it are read', async () => {
    const plain = await imported(Buffer.concat([before, after]));
    expect(plain.s).toMatchObject({ read: 7, malformed: 0 });
    expect(plain.records).toHaveLength(7);
    const hole = (n: number): Buffer => Buffer.alloc(n);
    const afterLines = after.toString('utf8').split('\n');
    const cases: Array<[string, Buffer, number]> = [
      // copytruncate: the writer's next line lands at its old offset, after the file's old length in NULs.
      ['copytruncate', Buffer.concat([hole(70_000), before, after]), 1],
      // Between lines, and ending one cut short (the cut line's start is read as the line it is).
      ['between lines, and in one', Buffer.concat([before, hole(4096), Buffer.from(`${afterLines.slice(0, 2).join('\n')}\n${afterLines[2]!.slice(0, 40)}`), hole(512), Buffer.from(afterLines.slice(2).join('\n'))]), 2],
    ];
    for (const [name, file, runs] of cases) {
      const path = join(dir, `${name}.log`);
      writeFileSync(path, file);
      const r = await imported(path);
      expect(r.s, name).toMatchObject({ format: 'lines', malformed: runs });
      expect(r.records, name).toEqual(plain.records);
      const stored = new Database(join(dir, `import-${n}.db`), { readonly: true });
      const counters = Object.fromEntries((stored.prepare("SELECT name, value FROM counters WHERE name LIKE 'malformed.%' OR name LIKE 'rejected.%'").all() as Array<{ name: string; value: number }>).map((c) => [c.name, c.value]));
      const kept = (stored.prepare("SELECT count(*) AS n FROM rejects WHERE instr(raw, x'00') > 0").get() as { n: number }).n;
      stored.close();
      expect(counters, name).toEqual({ 'malformed.nul-run': runs });
      expect(kept, name).toBe(0);
    }
    // The cut line is read as its own line: one more than the seven.
    expect((await imported(join(dir, 'between lines, and in one.log'))).s.read).toBe(8);
  });

  it('lines that are not UTF-8 (Latin-1) are read, stored byte for byte and counted as the listeners count them (not-utf8); the summary does not call them malformed', async () => {
    // The real lines with an account whose name is Latin-1 `jürgen` (FC), as a host with a Latin-1 locale logs it.
    const latin1 = Buffer.from(before.toString('utf8').replace(/testuser/g, 'j\u00fcrgen'), 'latin1');
    const utf8 = await imported(Buffer.from(latin1.toString('latin1'), 'utf8'));
    const cfg = freshConfig();
    const r = await aaawatch(['import', '-', '--config', cfg], latin1);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^-: 2 lines read, 2 records stored, 2 not UTF-8 \(kept byte for byte\), 0 malformed, \d+\.\d s\n$/);
    const db = join(dir, `import-${n}.db`);
    expect(storedRecords(db)).toEqual(utf8.records);
    const stored = new Database(db, { readonly: true });
    const counters = Object.fromEntries((stored.prepare("SELECT name, value FROM counters WHERE name LIKE 'malformed.%'").all() as Array<{ name: string; value: number }>).map((c) => [c.name, c.value]));
    const kept = (stored.prepare('SELECT raw, raw_bytes FROM events ORDER BY id').all() as Array<{ raw: string; raw_bytes: Buffer }>);
    const logged = JSON.parse((stored.prepare("SELECT detail FROM web_audit WHERE action = 'import'").get() as { detail: string }).detail) as Record<string, unknown>;
    stored.close();
    expect(counters).toEqual({ 'malformed.not-utf8': 2 });
    expect(kept.map((k) => k.raw_bytes)).toEqual(latin1.toString('latin1').split('\n').filter(Boolean).map((l) => Buffer.from(l, 'latin1')));
    expect(kept[0]!.raw).toContain('j\\xFCrgen');
    expect(logged).toMatchObject({ read: 2, records: 2, notUtf8: 2, malformed: 0 });
    expect(summary(await aaawatch(['import', '-', '--json', '--config', freshConfig()], latin1))).toMatchObject({ read: 2, records: 2, notUtf8: 2, malformed: 0 });
  });
});

describe('aaawatch import: the systemd journal as journalctl exports it', () => {
  // Real lines of Linux account tools, as rsyslog's file format keeps them (`TIME HOST PROGRAM[PID]: MESSAGE`).
  const syslogLines = ['test-usermod-group.log', 'test-userdel.log', 'test-gpasswd.log', 'elastic-test-pam-chauthtok-iso8601.log']
    .flatMap((f) => readFileSync(corpusPath('syslog', 'linux', f), 'utf8').split('\n').filter(Boolean));

  interface Entry {
    [field: string]: string | number[];
  }
  /** The entry journald keeps for such a line, its fields in the order `journalctl -o json` prints them. */
  function entryOf(line: string, i: number, message: string | number[] = /^\S+ \S+ [^[]+\[\d+\]: (.*)$/.exec(line)![1]!): Entry {
    const [, time, host, program, pid] = /^(\S+) (\S+) ([^[]+)\[(\d+)\]: /.exec(line)!;
    const usec = String(Date.parse(time!) * 1000 + Number(/\.\d{3}(\d{3})/.exec(time!)?.[1] ?? 0));
    return {
      __CURSOR: `s=f4312f4fd48c4d80a6db32a1a624c277;i=${(0xce4d7 + i).toString(16)};b=39d613e5dd9e4cc28164e818d4f49565`,
      __REALTIME_TIMESTAMP: usec, __MONOTONIC_TIMESTAMP: String(659637460 + i), _BOOT_ID: '39d613e5dd9e4cc28164e818d4f49565',
      PRIORITY: '5', SYSLOG_FACILITY: '10', SYSLOG_IDENTIFIER: program!, _UID: '0', _GID: '0', _COMM: program!, _EXE: `/usr/sbin/${program}`,
      _CMDLINE: `${program} -a -G wheel testuser`, _HOSTNAME: host!, _TRANSPORT: 'syslog', _PID: pid!, MESSAGE: message, SYSLOG_PID: pid!,
    };
  }
  /** `journalctl -o export`: a field that is not printable text (here every other MESSAGE, and any array of bytes) in the binary form. */
  function exported(entries: Entry[]): Buffer {
    const parts: Buffer[] = [];
    entries.forEach((e, i) => {
      for (const [k, v] of Object.entries(e)) {
        const bytes = typeof v === 'string' ? Buffer.from(v) : Buffer.from(v);
        if (typeof v === 'string' && !(k === 'MESSAGE' && i % 2 === 1)) parts.push(Buffer.from(`${k}=${v}\n`));
        else {
          const length = Buffer.alloc(8);
          length.writeBigUInt64LE(BigInt(bytes.length));
          parts.push(Buffer.from(`${k}\n`), length, bytes, Buffer.from('\n'));
        }
      }
      parts.push(Buffer.from('\n'));
    });
    return Buffer.concat(parts);
  }

  it('`-o json`, `-o json-pretty` and `-o export` store the records the same lines store over syslog: host, program, PID and time (__REALTIME_TIMESTAMP) as the line gives them', async () => {
    const lines = await imported(Buffer.from(syslogLines.join('\n') + '\n'));
    expect(lines.records.length).toBe(syslogLines.length - 2);
    const entries = syslogLines.map((l, i) => entryOf(l, i));
    const forms: Array<[string, Buffer]> = [
      ['journal-json', Buffer.from(entries.map((e) => JSON.stringify(e)).join('\n') + '\n')],
      ['journal-json', Buffer.from(entries.map((e) => JSON.stringify(e, null, 8)).join('\n') + '\n')],
      ['journal-export', exported(entries)],
      // gzipped, as a collector keeps yesterday's export.
      ['journal-export', gzipSync(exported(entries))],
    ];
    for (const [format, file] of forms) {
      const r = await imported(file);
      expect(r.s, format).toMatchObject({ format, read: entries.length, malformed: 0, notUtf8: 0 });
      expect(r.records, format).toEqual(lines.records);
    }
  });

  it('a MESSAGE that is not UTF-8 (an array of bytes in JSON, a binary field in an export) is stored and counted as the same Latin-1 line over syslog', async () => {
    const line = syslogLines[0]!.replace('testuser', 'j\u00fcrgen');
    const bytes = Buffer.from(/: (.*)$/.exec(line)![1]!, 'latin1');
    const asLine = await imported(Buffer.from(`${line}\n`, 'latin1'));
    expect(asLine.s).toMatchObject({ read: 1, notUtf8: 1, malformed: 0 });
    expect(asLine.records).toHaveLength(1);
    const entry = entryOf(line, 0, [...bytes]);
    for (const [format, file] of [['journal-json', Buffer.from(JSON.stringify(entry) + '\n')], ['journal-export', exported([entry])]] as const) {
      const r = await imported(file);
      expect(r.s, format).toMatchObject({ format, read: 1, notUtf8: 1, malformed: 0 });
      expect(r.records, format).toEqual(asLine.records);
      const stored = new Database(join(dir, `import-${n}.db`), { readonly: true });
      const kept = stored.prepare('SELECT raw, raw_bytes FROM events').get() as { raw: string; raw_bytes: Buffer };
      stored.close();
      expect(kept.raw).toContain('j\\xFCrgen');
      expect(kept.raw_bytes.subarray(-bytes.length)).toEqual(bytes);
    }
  });

  it('real journalctl files (Elastic Beats\' test data): every entry read as its host, program, PID and time', async () => {
    const folder = corpusPath('files', 'journald');
    const cfg = join(dir, `journal-${++n}.yaml`);
    const db = join(dir, `journal-${n}.db`);
    writeFileSync(cfg, `store:\n  path: ${db}\n  storeAllMessages: true\n`);
    const runs = [];
    for (const f of ['beats-journal1.first3.export', 'beats-sample-journal-event.json', 'beats-corner-cases.pulseaudio.json']) {
      runs.push(summary(await aaawatch(['import', join(folder, f), '--json', '--config', cfg])));
    }
    expect(runs.map((s) => [s.format, s.read, s.malformed])).toEqual([['journal-export', 3, 0], ['journal-json', 1, 0], ['journal-json', 1, 0]]);
    const stored = new Database(db, { readonly: true });
    const messages = stored.prepare('SELECT time, hostname, program, severity, raw FROM messages ORDER BY id').all();
    stored.close();
    expect(messages).toEqual([
      { time: 1758137056706, hostname: 'archlinux', program: 'journald-test-1', severity: 6, raw: '<14>2025-09-17T19:24:16.706827Z archlinux journald-test-1[7136]: [ 1] log entry' },
      { time: 1758137056709, hostname: 'archlinux', program: 'journald-test-1', severity: 6, raw: '<14>2025-09-17T19:24:16.709853Z archlinux journald-test-1[7140]: [ 2] log entry' },
      { time: 1758137056712, hostname: 'archlinux', program: 'journald-test-1', severity: 6, raw: '<14>2025-09-17T19:24:16.712935Z archlinux journald-test-1[7144]: [ 3] log entry' },
      { time: 1724080855230, hostname: 'millennium-falcon', program: 'TestRestartsJournalctlOnError', severity: 6, raw: '<14>2024-08-19T15:20:55.230058Z millennium-falcon TestRestartsJournalctlOnError[235728]: Count: 0000000001' },
      // MESSAGE as an array of bytes (it holds a CR), PRIORITY 3.
      { time: 1719859366807, hostname: 'millennium-falcon', program: 'pulseaudio', severity: 3, raw: '<11>2024-07-01T18:42:46.807141Z millennium-falcon pulseaudio[3728]: Unable to parse indicator of AT+BIA command: AT+BIA=1,1,0,0,0\rAT+BCS=2' },
    ]);
  });

  it('an export cut short, or with a field longer than any entry may be, stores the entries before it and counts the rest', async () => {
    const entries = syslogLines.slice(0, 3).map((l, i) => entryOf(l, i));
    const whole = exported(entries);
    const cut = await imported(whole.subarray(0, whole.length - 40));
    expect(cut.s).toMatchObject({ format: 'journal-export', read: 3, malformed: 1 });
    expect(cut.records).toHaveLength(2);
    // A binary field claiming 2^62 bytes: nothing after it can be read as entries.
    const huge = Buffer.alloc(8);
    huge.writeBigUInt64LE(1n << 62n);
    const bad = await imported(Buffer.concat([exported(entries.slice(0, 2)), Buffer.from('__REALTIME_TIMESTAMP=1\n_HOSTNAME=h\nMESSAGE\n'), huge, Buffer.from('x'.repeat(100))]));
    expect(bad.s).toMatchObject({ format: 'journal-export', read: 3, malformed: 1 });
    expect(bad.records).toHaveLength(2);
  });
});

describe('aaawatch import: Windows events saved as CSV', () => {
  // Real Snare lines of a Windows Server 2022 host: 4720, 4724, 4728, 4732 and 4738.
  const snare = readFileSync(corpusPath('syslog', 'windows', 'account_mgmt_events.relevant.log'), 'utf8').split('\n').filter(Boolean);
  const fields = snare.map((l) => l.slice(l.indexOf('MSWinEventLog')).split('\t'));
  const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  /** Snare's `Fri Sep 17 16:37:26 2021` as en-US writes it (`9/17/2021 4:37:26 PM`), or en-GB (`17/09/2021 16:37:26`). */
  function culture(ctime: string, form: 'en-US' | 'en-GB'): string {
    const [, mon, day, time, year] = ctime.split(/ +/);
    const [h, m, s] = time!.split(':').map(Number) as [number, number, number];
    const month = MONTHS.indexOf(mon!) + 1;
    if (form === 'en-GB') return `${day!.padStart(2, '0')}/${String(month).padStart(2, '0')}/${year} ${time}`;
    return `${month}/${Number(day)}/${year} ${h % 12 || 12}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')} ${h < 12 ? 'AM' : 'PM'}`;
  }
  const quote = (v: string): string => `"${v.replace(/"/g, '""')}"`;
  /** Event Viewer's Save As CSV of the Security log: five named columns, the message a sixth, quoted; CRLF; a byte order mark. */
  function eventViewer(rows: Array<{ outcome: string; time: string; source: string; id: string; task: string; message: string }>): Buffer {
    return Buffer.from(['\uFEFFKeywords,Date and Time,Source,Event ID,Task Category', ...rows.map((r) => [r.outcome, r.time, r.source, r.id, r.task, quote(r.message)].join(','))].join('\r\n') + '\r\n');
  }

  it('Event Viewer\'s CSV and Get-WinEvent | Export-Csv store the records the same events store as Snare lines over syslog', async () => {
    const overSyslog = await imported(Buffer.from(snare.join('\n') + '\n'));
    expect(overSyslog.records.length).toBeGreaterThanOrEqual(snare.length);
    // Export-Csv names the computer: the same records, the same device.
    const exportCsv = [
      '#TYPE System.Diagnostics.Eventing.Reader.EventLogRecord',
      '"Message","Id","Version","Level","Task","Keywords","RecordId","ProviderName","LogName","MachineName","TimeCreated","LevelDisplayName","TaskDisplayName","KeywordsDisplayNames"',
      ...fields.map((f) => [f[13]!, f[5]!, '0', '0', '13824', f[9] === 'Success Audit' ? '-9214364837600034816' : '-9218868437227405312', f[3]!, f[6]!, 'Security', f[10]!, culture(f[4]!, 'en-GB'), 'Information', f[11]!, 'System.Collections.ObjectModel.ReadOnlyCollection`1[System.String]'].map(quote).join(',')),
    ].join('\r\n') + '\r\n';
    const fromExport = await imported(Buffer.from(exportCsv));
    expect(fromExport.s).toMatchObject({ format: 'event-csv', read: snare.length, malformed: 0 });
    expect(fromExport.records).toEqual(overSyslog.records);
    // Event Viewer's names no computer: the device is the one --source names.
    const viewer = eventViewer(fields.map((f) => ({ outcome: f[9]!, time: culture(f[4]!, 'en-US'), source: f[6]!, id: f[5]!, task: f[11]!, message: f[13]! })));
    const cfg = freshConfig();
    const s = summary(await aaawatch(['import', '-', '--json', '--source', '192.0.2.9', '--config', cfg], viewer));
    expect(s).toMatchObject({ format: 'event-csv', read: snare.length, malformed: 0 });
    expect(storedRecords(join(dir, `import-${n}.db`))).toEqual(overSyslog.records.map((r) => ({ ...(r as object), device: '192.0.2.9' })));
  });

  it('a message over several lines, with tabs (as Windows renders it), reads as Snare\'s flattened one does', async () => {
    // Real rendered messages of a 4720 and a 4738, as NXLog kept them (`Message`).
    const nxlog = readFileSync(corpusPath('envelopes', 'nxlog', 'sekoia-windows-nxlog.relevant'), 'utf8').split('\n').filter((l) => /"EventID":47(20|38),/.test(l)).map((l) => JSON.parse(l) as Record<string, string>);
    expect(nxlog).toHaveLength(2);
    const rows = nxlog.map((e) => ({ outcome: 'Audit Success', time: e.EventTime!.replace(/^(\d+)-(\d+)-(\d+)/, '$1/$2/$3'), source: e.SourceName!, id: String(e.EventID), task: e.Category!, message: e.Message! }));
    const r = await imported(eventViewer(rows));
    expect(r.s).toMatchObject({ format: 'event-csv', read: 2, malformed: 0 });
    expect(r.records).toEqual([
      { kind: 'account', action: 'account.create', at: Date.parse('2020-11-27T17:05:18Z'), device: 'unknown', platform: 'windows', actor: 'SVC_sitemanager', actor_address: null, target: 'USERFOO', privilege: null, role: null, grp: null },
      { kind: 'account', action: 'account.modify', at: Date.parse('2024-05-06T11:38:15Z'), device: 'unknown', platform: 'windows', actor: 'ANONYMOUS LOGON', actor_address: null, target: 'jdoe', privilege: null, role: null, grp: null },
    ]);
    // A row cut by the end of the file is counted.
    const whole = eventViewer(rows);
    const cut = await imported(whole.subarray(0, whole.length - 30));
    expect(cut.s).toMatchObject({ format: 'event-csv', read: 2, malformed: 1 });
    expect(cut.records).toHaveLength(1);
  });
});
