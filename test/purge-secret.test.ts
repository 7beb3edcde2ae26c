// `aaawatch purge-secret` on a real store filled by `aaawatch serve` over TCP and by a pull from
// an emulated IOS device: a password typed where the user name belongs (no redaction can know it),
// pasted into the device's configuration and into a decision's reason too, is found in the
// records, the snapshot and the activity log, counted by a dry run, purged while serve keeps
// running and writing, and gone from the SQLite file and its WAL; the chain verifies with the purge
// listed (who, when, why, which records), and records stored afterwards extend it. Also: a form
// given as a pattern; 2,900 records re-chained in batches while serve stores more; a purge
// interrupted half way, reported by verify and finished by running it again; a form a newer
// redaction knows, applied again to what an older one stored (the same version's redaction applied
// again changes nothing), with stale copies in the file's free space found and zeroed; tampering
// with a purged record or the purge log found; a value stored nowhere, a missing reason and a bad
// pattern refused with a clear message and the exit status.

import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformById } from '../parsers/index.js';
import { REDACTED } from '../parsers/lib/secrets.js';
import { significantText } from '../src/pull/digest.js';
import { openDatabase } from '../src/store/db.js';
import { CURRENT_REDACTION, patternSelection, purgeStored, reapplySelection, residue, type Selection } from '../src/store/purge.js';
import { logActivity } from '../src/web/store.js';
import { corpusPath, REPO } from './support/corpus.js';
import { EMULATOR_ENABLE, EMULATOR_PASSWORD, startEmulator, type RunningEmulator } from './support/emulator/device.js';
import { loadTranscript } from './support/emulator/transcript.js';
import { freePort } from './support/ports.js';
import { watch, type Watched } from './support/process.js';
import { tempDir } from './support/temp.js';

const CLI = join(REPO, 'dist/src/cli.js');
const TYPED = 'Ub3r-Typed-As-User-9917';
const FORM = 'Kr8-Bespoke-Form-4410';
const NEWER = 'Nw5-Later-Known-7723';
const IOS = loadTranscript(corpusPath('ssh-sessions', 'ios#C9200L-24P-4G_17.09.04a#simulation.yaml'));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

let dir: string;
let config: string;
let dbPath: string;
let port: number;
let serve: ChildProcess | undefined;
let served: Watched | undefined;
let emulator: RunningEmulator | undefined;

function aaawatch(args: string[], input?: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [CLI, ...args, '--config', config], { cwd: REPO, env: { ...process.env, AAAWATCH_CONFIG: '', USER: 'ops' } }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
    child.stdin!.end(input ?? '');
  });
}

function sendTcp(lines: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => s.end(lines.map((l) => `${l}\n`).join('')));
    s.on('error', reject);
    s.on('close', () => resolve());
  });
}

const login = (n: number, user: string): string =>
  `<188>${n}: r1: *Nov 21 22:10:${String(n % 60).padStart(2, '0')}.123 UTC: %SEC_LOGIN-4-LOGIN_FAILED: Login failed [user: ${user}] [Source: 192.0.2.44] [localport: 22] [Reason: Login Authentication Failed] at 22:10:00 UTC Sat Nov 21 2026`;
const command = (n: number, text: string): string =>
  `<189>${n}: r1: *Nov 21 22:11:${String(n % 60).padStart(2, '0')}.123 UTC: %PARSER-5-CFGLOG_LOGGEDCMD: User:netadmin  logged command:${text}`;

function count(sql: string, ...args: unknown[]): number {
  const db = new Database(dbPath, { readonly: true });
  try {
    return (db.prepare(sql).get(...args) as { n: number }).n;
  } finally {
    db.close();
  }
}

async function until(what: string, f: () => boolean): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!f()) {
    if (Date.now() > deadline) throw new Error(`${what}: not reached in time`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Every file of the store, as bytes. */
function storeBytes(): Buffer {
  return Buffer.concat(['', '-wal', '-shm'].filter((s) => existsSync(dbPath + s)).map((s) => readFileSync(dbPath + s)));
}

beforeAll(async () => {
  dir = tempDir('aaawatch-purge-');
  dbPath = join(dir, 'aaawatch.db');
  config = join(dir, 'aaawatch.yaml');
  port = await freePort();
  const webPort = await freePort();
  // UDP on a port of its own too: left out, serve binds the default 5514, which another run may hold.
  const udpPort = await freePort();
  // The device's configuration holds the password too, pasted where a contact belongs.
  emulator = await startEmulator({
    transcript: { ...IOS, exchanges: IOS.exchanges.map((e) => (e.command === 'show running-config' ? { ...e, response: e.response.replace('!\ntransceiver type all', `snmp-server contact ${TYPED}\n!\ntransceiver type all`) } : e)) },
    enableSecret: EMULATOR_ENABLE,
  });
  const creds = join(dir, 'credentials.yaml');
  writeFileSync(creds, `default:\n  username: aaawatch\n  password: ${EMULATOR_PASSWORD}\n  enableSecret: ${EMULATOR_ENABLE}\n`);
  chmodSync(creds, 0o600);
  writeFileSync(
    config,
    `ingest:\n  tcp: { host: 127.0.0.1, port: ${port} }\n  udp: { host: 127.0.0.1, port: ${udpPort} }\nstore:\n  path: ${dbPath}\n  storeAllMessages: true\nweb: { host: 127.0.0.1, port: ${webPort} }\n` +
      `devices:\n  - { name: r1, address: 127.0.0.1, port: ${emulator.port}, platform: cisco-ios }\npull:\n  credentialsFile: ${creds}\n  retries: 0\n`,
  );
  const pulled = await aaawatch(['pull', '--all']);
  if (pulled.code !== 0) throw new Error(`pull failed:\n${pulled.stdout}${pulled.stderr}`);
  serve = spawn(process.execPath, [CLI, 'serve', '--config', config], { cwd: REPO, env: { ...process.env, AAAWATCH_CONFIG: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  served = watch(serve);
  const base = `http://127.0.0.1:${webPort}`;
  const deadline = Date.now() + 60_000;
  while ((await fetch(`${base}/login`).catch(() => undefined))?.status !== 200) {
    if (Date.now() > deadline) throw new Error(`serve did not start:\n${served.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  // The pages can answer before the TCP listener is bound (on a loaded machine, seconds before).
  while (!(await new Promise<boolean>((resolve) => net.connect(port, '127.0.0.1').on('connect', function (this: net.Socket) { this.end(); resolve(true); }).on('error', () => resolve(false))))) {
    if (Date.now() > deadline) throw new Error(`serve did not listen on TCP:\n${served.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  await sendTcp([
    command(1, 'interface GigabitEthernet1/0/1'),
    login(2, TYPED),
    command(3, 'username bob privilege 15 secret 0 Known-Form-Redacted-1'),
    login(4, TYPED),
    command(5, `banner motd ^C ${FORM} ^C`),
    command(6, 'no shutdown'),
    command(9, `banner exec ^C ${NEWER} ^C`),
    '<14>Nov 21 22:12:00 h1 app: chatter with no record',
  ]);
  await until('stored', () => count("SELECT count(*) AS n FROM messages WHERE raw LIKE '%chatter%'") === 1 && count('SELECT count(*) AS n FROM events') >= 5);
  // And a person pasted it into a decision's reason, as the web interface logs one.
  const db = openDatabase(dbPath);
  logActivity(db, { at: Date.now(), user: 'bob', address: '192.0.2.44', action: 'finding.acknowledge', detail: { finding: 1, reason: `pasted ${TYPED} by mistake` } });
  db.close();
});

afterAll(async () => {
  if (serve && serve.exitCode === null) serve.kill('SIGKILL');
  await emulator?.close();
});

describe('aaawatch purge-secret', () => {
  it('refuses without a selection, without a reason, with a bad pattern or a short value', async () => {
    expect(await aaawatch(['purge-secret', '--reason', 'x'])).toMatchObject({ code: 2, stderr: expect.stringContaining('exactly one of --value-file, --pattern, --reapply') });
    const noReason = await aaawatch(['purge-secret', '--value-file', '-'], `${TYPED}\n`);
    expect(noReason).toMatchObject({ code: 2, stderr: expect.stringContaining('--reason is required') });
    expect(await aaawatch(['purge-secret', '--pattern', '(', '--reason', 'x'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--pattern: not a regular expression') });
    expect(await aaawatch(['purge-secret', '--pattern', 'a*', '--reason', 'x'])).toMatchObject({ code: 2, stderr: expect.stringContaining('matches the empty string') });
    expect(await aaawatch(['purge-secret', '--value-file', '-', '--reason', 'x'], 'abc\n')).toMatchObject({ code: 2, stderr: expect.stringContaining('shorter than 4 characters') });
    expect(storeBytes().includes(TYPED)).toBe(true);
  });

  it('counts in a dry run and changes nothing', async () => {
    const dry = await aaawatch(['purge-secret', '--value-file', '-', '--dry-run'], `${TYPED}\n`);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/^dry run: a value of 23 characters found in 4 stored rows; nothing changed\n/);
    expect(dry.stdout).toMatch(/records \(hash-chained\) {2}2 {2}\(ids \d+, \d+\); records \d+–\d+ re-chained/);
    expect(dry.stdout).toMatch(/^ {2}snapshots {15}1$/m);
    expect(dry.stdout).toMatch(/^ {2}web_audit {15}1$/m);
    expect(dry.stdout).not.toContain(TYPED);
    expect(count('SELECT count(*) AS n FROM events WHERE instr(raw, ?) > 0', TYPED)).toBe(2);
    expect(count('SELECT count(*) AS n FROM chain_purges')).toBe(0);
  });

  it('purges while serve runs: gone from every file of the store, the chain verifies and lists the purge', async () => {
    const before = count('SELECT count(*) AS n FROM events');
    const purged = await aaawatch(['purge-secret', '--value-file', '-', '--reason', 'password typed as user name, ticket INC-42', '--by', 'alice'], `${TYPED}\n`);
    expect(purged.code, purged.stderr).toBe(0);
    expect(purged.stdout).toMatch(/^purge #1: a value of 23 characters removed from 4 stored rows\n/);
    expect(purged.stdout).not.toContain(TYPED);
    expect(count('SELECT count(*) AS n FROM events WHERE instr(raw, ?) > 0', TYPED)).toBe(0);
    expect(count("SELECT count(*) AS n FROM events WHERE raw LIKE '%[user: <redacted>] [Source: 192.0.2.44]%'")).toBe(2);
    expect(count('SELECT count(*) AS n FROM events')).toBe(before);
    expect(storeBytes().includes(TYPED)).toBe(false);
    // The snapshot: the value replaced, its change hash recomputed as a pull computes it.
    const snap = new Database(dbPath, { readonly: true });
    const s = snap.prepare("SELECT config, hash FROM snapshots WHERE device = 'r1'").get() as { config: string; hash: string };
    snap.close();
    expect(s.config).toContain(`snmp-server contact ${REDACTED}\n`);
    expect(s.hash).toBe(createHash('sha256').update(significantText(s.config, platformById('cisco-ios')!.ssh!.volatile)).digest('hex'));

    // serve goes on writing after the purge, on the re-anchored chain.
    await sendTcp([command(7, 'interface GigabitEthernet1/0/2'), command(8, 'shutdown')]);
    await until('stored after the purge', () => count("SELECT count(*) AS n FROM events WHERE raw LIKE '%logged command:shutdown'") === 1);
    const verify = await aaawatch(['verify']);
    expect(verify.code, verify.stdout).toBe(0);
    expect(verify.stdout).toMatch(/^chain OK: \d+ records/);
    expect(verify.stdout).toContain('purges OK: 1 recorded\n');
    expect(verify.stdout).toMatch(/ {2}#1 \d{4}-\d\d-\d\dT[\d:.]+Z by alice: "password typed as user name, ticket INC-42"; a value of 23 characters; 2 records re-redacted \(ids \d+, \d+\), records \d+–\d+ re-chained; 1 row in snapshots; 1 row in web_audit\n/);
    expect(verify.stdout).toMatch(/activity log OK: 2 entries chained/);
    const json = JSON.parse((await aaawatch(['verify', '--json'])).stdout) as { ok: boolean; purges: { ok: boolean; entries: Array<{ by: string; records: number[] }> } };
    expect(json.ok).toBe(true);
    expect(json.purges).toMatchObject({ ok: true, entries: [{ by: 'alice', records: [expect.any(Number), expect.any(Number)] }] });

    // The activity log holds the purge too.
    const db = new Database(dbPath, { readonly: true });
    const activity = db.prepare("SELECT user, detail FROM web_audit WHERE action = 'purge-secret'").all() as Array<{ user: string; detail: string }>;
    db.close();
    expect(activity).toHaveLength(1);
    expect(activity[0]!.user).toBe('alice');
    expect(JSON.parse(activity[0]!.detail)).toMatchObject({ purge: 1, records: 2, reason: 'password typed as user name, ticket INC-42' });
    expect(activity[0]!.detail).not.toContain(TYPED);
  });

  it('says so, and exits 1, when the value is stored nowhere', async () => {
    const again = await aaawatch(['purge-secret', '--value-file', '-', '--reason', 'again'], `${TYPED}\n`);
    expect(again).toMatchObject({ code: 1, stderr: 'aaawatch purge-secret: a value of 23 characters: found in no stored row; nothing changed\n' });
    const dry = await aaawatch(['purge-secret', '--value-file', '-', '--dry-run'], 'Never-Stored-Value-1\n');
    expect(dry.code).toBe(1);
    expect(dry.stderr).toContain('a value of 20 characters: found in no stored row');
    expect(count('SELECT count(*) AS n FROM chain_purges')).toBe(1);
  });

  it('purges a form given as a pattern: only its group is replaced', async () => {
    const purged = await aaawatch(['purge-secret', '--pattern', 'banner motd \\^C (?<secret>\\S+) \\^C', '--reason', 'a banner held a key', '--json']);
    expect(purged.code, purged.stderr).toBe(0);
    const out = JSON.parse(purged.stdout) as { purge: { id: number; records: number[]; selection: string } };
    expect(out.purge).toMatchObject({ id: 2, selection: 'the pattern /banner motd \\^C (?<secret>\\S+) \\^C/' });
    expect(out.purge.records.length).toBeGreaterThan(0);
    expect(count("SELECT count(*) AS n FROM events WHERE raw LIKE '%logged command:banner motd ^C <redacted> ^C'")).toBeGreaterThan(0);
    expect(storeBytes().includes(FORM)).toBe(false);
    const verify = await aaawatch(['verify']);
    expect(verify.code, verify.stdout).toBe(0);
    expect(verify.stdout).toContain('purges OK: 2 recorded\n');
  });

  it('re-chains a thousand records per transaction while serve goes on storing, and the chain verifies', async () => {
    const EARLY = 'Early-Typed-Secret-3321';
    const before = count('SELECT count(*) AS n FROM events');
    await sendTcp(Array.from({ length: 2600 }, (_, i) => (i === 4 ? login(100 + i, EARLY) : command(100 + i, `description bulk-${i}`))));
    await until('bulk stored', () => count('SELECT count(*) AS n FROM events') >= before + 2600);
    // The purge and more traffic at once: serve's batches interleave with the purge's.
    const [purged] = await Promise.all([
      aaawatch(['purge-secret', '--value-file', '-', '--reason', 'typed early on'], `${EARLY}\n`),
      (async () => {
        for (let i = 0; i < 10; i++) {
          await sendTcp(Array.from({ length: 30 }, (_, j) => command(3000 + i * 30 + j, `description during-${i}-${j}`)));
          await new Promise((r) => setTimeout(r, 50));
        }
      })(),
    ]);
    expect(purged.code, purged.stderr).toBe(0);
    await until('all stored', () => count('SELECT count(*) AS n FROM events') === before + 2900);
    expect(storeBytes().includes(EARLY)).toBe(false);
    const verify = await aaawatch(['verify']);
    expect(verify.code, verify.stdout).toBe(0);
    const last = /#3 .*records (\d+)–(\d+) re-chained/.exec(verify.stdout);
    expect(last, verify.stdout).not.toBeNull();
    expect(Number(last![2]) - Number(last![1])).toBeGreaterThan(2000);
    expect(count('SELECT count(*) AS n FROM purge_progress')).toBe(0);
  });

  it('an interrupted purge is reported by verify and finished by running it again', async () => {
    const selection = patternSelection(/description (bulk-7)$/);
    // Fails half way, in the second batch of records (as a crash or a kill would leave it).
    const failing: Selection = {
      ...selection,
      rewrite: (text, place) => {
        if (text.endsWith('description bulk-1500')) throw new Error('interrupted');
        return selection.rewrite(text, place);
      },
    };
    const db = openDatabase(dbPath);
    expect(() => purgeStored(db, failing, { by: 'carol', reason: 'bulk-7 was a key', at: Date.now() })).toThrow('interrupted');
    db.close();
    const broken = await aaawatch(['verify']);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/purge INTERRUPTED: a purge of the pattern \/description \(bulk-7\)\$\/ begun \S+ by carol was interrupted at record (\d+) \(records \d+–\d+ are re-chained, the rest not yet\): run the same aaawatch purge-secret again to finish it/);
    const db2 = openDatabase(dbPath);
    const done = purgeStored(db2, selection, { by: 'carol', reason: 'bulk-7 was a key', at: Date.now() });
    db2.close();
    expect(done?.entry.records.length).toBe(1);
    const verify = await aaawatch(['verify']);
    expect(verify.code, verify.stdout).toBe(0);
    expect(verify.stdout).toMatch(/#4 .* by carol: "bulk-7 was a key"; the pattern \/description \(bulk-7\)\$\/; 1 records re-redacted/);
    expect(count("SELECT count(*) AS n FROM events WHERE raw LIKE '%description <redacted>'")).toBe(1);
  });

  it('applies a newer redaction again to what an older one stored; the same version\'s changes nothing', async () => {
    const same = await aaawatch(['purge-secret', '--reapply', '--reason', 'upgrade']);
    expect(same).toMatchObject({ code: 1, stderr: "aaawatch purge-secret: this version's redaction, applied again: found in no stored row; nothing changed\n" });

    // As a later version would know it: this banner form holds a key.
    const newer = reapplySelection({
      ...CURRENT_REDACTION,
      message: (text) => CURRENT_REDACTION.message(text).replace(/(banner exec \^C )(\S+)( \^C)/, `$1${REDACTED}$3`),
    });
    const db = openDatabase(dbPath);
    const done = purgeStored(db, newer, { by: 'upgrade', reason: 'banner keys are secrets since 2.0', at: Date.now() });
    db.close();
    expect(done?.counts.records.length).toBeGreaterThan(0);
    expect(count('SELECT count(*) AS n FROM events WHERE instr(raw, ?) > 0 OR instr(command, ?) > 0', NEWER, NEWER)).toBe(0);
    // Pages SQLite rebuilt while serve stored keep stale copies in their free space (measured here:
    // the gap of an interior page of `events` that had been a leaf), which secure_delete does not
    // reach; the command zeroes that space while serve runs, and no byte of a row changes.
    const rowsBefore = count('SELECT count(*) AS n FROM events');
    const stale = residue(dbPath, [NEWER]);
    const cleared = await aaawatch(['purge-secret', '--value-file', '-', '--reason', 'stale copies'], `${NEWER}\n`);
    if (stale.length) expect(cleared, cleared.stderr).toMatchObject({ code: 0, stdout: expect.stringMatching(/its stale copies in the file's free space are gone \(\d+ pages zeroed\)/) });
    else expect(cleared).toMatchObject({ code: 1, stderr: expect.stringContaining('found in no stored row; nothing changed') });
    expect(storeBytes().includes(NEWER)).toBe(false);
    expect(count('SELECT count(*) AS n FROM events')).toBeGreaterThanOrEqual(rowsBefore);
    const checked = new Database(dbPath, { readonly: true });
    expect(checked.pragma('integrity_check', { simple: true })).toBe('ok');
    checked.close();
    const verify = await aaawatch(['verify']);
    expect(verify.code, verify.stdout).toBe(0);
    expect(verify.stdout).toContain("purges OK: 5 recorded\n");
    expect(verify.stdout).toMatch(/#5 .* by upgrade: "banner keys are secrets since 2\.0"; this version's redaction, applied again; /);
  });

  it('finds tampering with a purged record and with the purge log, and refuses to purge over it', async () => {
    // Stop serve: what follows edits the file behind its back.
    expect(await served!.stop()).toBe(0);
    const copy = join(dir, 'tampered.db');
    const db = new Database(dbPath);
    db.pragma('wal_checkpoint(TRUNCATE)');
    await db.backup(copy);
    db.close();
    const tampered = join(dir, 'tampered.yaml');
    writeFileSync(tampered, `store:\n  path: ${copy}\n`);
    const t = new Database(copy);
    t.prepare("UPDATE chain_purges SET reason = 'nothing to see' WHERE id = 1").run();
    t.close();
    const run = (args: string[], input?: string): Promise<Run> =>
      new Promise((resolve) => {
        const child = execFile(process.execPath, [CLI, ...args, '--config', tampered], { cwd: REPO, env: { ...process.env, AAAWATCH_CONFIG: '' } }, (err, stdout, stderr) =>
          resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
        );
        child.stdin!.end(input ?? '');
      });
    const log = await run(['verify']);
    expect(log.code).toBe(1);
    expect(log.stdout).toContain('purge log BROKEN at purge #1: its content was changed');

    const t2 = new Database(copy);
    t2.prepare("UPDATE chain_purges SET reason = 'password typed as user name, ticket INC-42' WHERE id = 1").run();
    const purgedId = (t2.prepare("SELECT id FROM events WHERE raw LIKE '%[user: <redacted>]%' ORDER BY id LIMIT 1").get() as { id: number }).id;
    t2.prepare('UPDATE events SET raw = replace(raw, ?, ?) WHERE id = ?').run('<redacted>', 'someone-else', purgedId);
    t2.close();
    const chain = await run(['verify']);
    expect(chain.code).toBe(1);
    expect(chain.stdout).toContain(`chain BROKEN at record ${purgedId}: its content or message was changed`);
    const refused = await run(['purge-secret', '--value-file', '-', '--reason', 'cover it up'], 'someone-else\n');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`refused: the record chain is broken at record ${purgedId}`);
  });
});
