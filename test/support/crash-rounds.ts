// rsyslog forwarding numbered lines to `aaawatch serve`, which is killed with SIGKILL mid-stream and
// restarted, round after round; then what was stored is counted against what was sent. Shared by
// the RELP kill test and bench:reliability:kill. rsyslog reads the lines from a file (imfile) and
// forwards them with an action queue that retries for ever, so it drops nothing itself: a line
// missing from the store was lost by the transport or the receiver.

import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { REPO } from './corpus.js';
import { freePort } from './ports.js';

const CLI = join(REPO, 'dist/src/cli.js');

export type CrashTransport = 'relp' | 'tcp';

export interface CrashRoundsOptions {
  transport: CrashTransport;
  rsyslogd: string;
  modules: string;
  dir: string;
  lines: number;
  /** Lines written per second to the file rsyslog reads. */
  rate: number;
  rounds: number;
  /** How long serve runs before each kill, picked between these (ms). */
  upMs: [number, number];
  /** How long it stays down (ms). */
  downMs: number;
  /** Seeded, so a failing run can be repeated. */
  random: () => number;
}

export interface CrashResult {
  sent: number;
  /** Distinct lines stored. */
  stored: number;
  lost: number;
  /** Rows beyond the first for a line. */
  duplicates: number;
  kills: number;
  /** The RELP listener's count of resends it recognised (answered, not stored again). */
  resendsRecognised: number;
  seconds: number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function crashRounds(o: CrashRoundsOptions): Promise<CrashResult> {
  const started = Date.now();
  const port = await freePort();
  const input = join(o.dir, 'input.log');
  const dbPath = join(o.dir, 'aaawatch.db');
  const config = join(o.dir, 'aaawatch.yaml');
  mkdirSync(join(o.dir, 'rsyslog'), { recursive: true });
  writeFileSync(input, '');
  const relp = o.transport === 'relp';
  writeFileSync(
    config,
    [
      'ingest:',
      '  udp: { enabled: false }',
      `  tcp: { enabled: ${!relp}, host: 127.0.0.1, port: ${port} }`,
      `  relp: { enabled: ${relp}, host: 127.0.0.1, port: ${port} }`,
      'store:',
      `  path: ${dbPath}`,
      '  storeAllMessages: true',
      'web: { enabled: false }',
      '',
    ].join('\n'),
  );
  // The action queue holds what could not be delivered; retried for ever, every second.
  const action = relp
    ? `type="omrelp" target="127.0.0.1" port="${port}"`
    : `type="omfwd" target="127.0.0.1" port="${port}" protocol="tcp"`;
  writeFileSync(
    join(o.dir, 'rsyslog.conf'),
    `global(workDirectory="${o.dir}/rsyslog")
module(load="${o.modules}/imfile.so" mode="inotify")
module(load="${o.modules}/${relp ? 'omrelp' : 'omfwd'}.so")
input(type="imfile" file="${input}" tag="app:" ruleset="fwd")
ruleset(name="fwd") {
  action(${action} template="RSYSLOG_TraditionalForwardFormat"
         queue.type="LinkedList" queue.size="1000000" action.resumeRetryCount="-1" action.resumeInterval="1")
}
`,
  );
  const children: ChildProcess[] = [];
  let serve: ChildProcess | undefined;
  const startServe = async (): Promise<void> => {
    const child = spawn(process.execPath, [CLI, 'serve', '--config', config], { env: { ...process.env, AAAWATCH_CONFIG: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    // A guard against a hang only: 30 s ran out once with another file beside this one on a loaded
    // machine, serve having said only that it was starting.
    const deadline = Date.now() + 300_000;
    while (!/listening on/.test(out)) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`serve did not start: ${out.slice(-1000)}`);
      await sleep(20);
    }
    serve = child;
  };

  try {
    // serve first: rsyslog 8.2302 started while its RELP receiver is down sends its first message
    // twice (rsyslog's own imrelp stores it twice too; README, "What aaawatch promises per transport").
    await startServe();
    children.push(spawn(o.rsyslogd, ['-n', '-f', join(o.dir, 'rsyslog.conf'), '-i', join(o.dir, 'rsyslogd.pid'), '-M', o.modules], { stdio: 'ignore' }));
    // The writer: numbered lines appended at `rate`, in small slices, while rounds run.
    let written = 0;
    const writing = (async () => {
      const t0 = Date.now();
      while (written < o.lines) {
        const due = Math.min(o.lines, Math.floor(((Date.now() - t0) / 1000) * o.rate));
        if (due > written) {
          let text = '';
          for (let i = written; i < due; i++) text += `line ${String(i).padStart(8, '0')}\n`;
          appendFileSync(input, text);
          written = due;
        }
        await sleep(10);
      }
    })();

    const count = (): number => {
      try {
        const db = new Database(dbPath, { readonly: true, fileMustExist: true });
        try {
          return (db.prepare('SELECT count(DISTINCT substr(raw, -8)) AS n FROM messages').get() as { n: number }).n;
        } finally {
          db.close();
        }
      } catch {
        return 0;
      }
    };
    /** Until the sender is delivering to this serve again (rsyslog retries once a second). */
    const delivering = async (): Promise<void> => {
      const before = count();
      const deadline = Date.now() + 20_000;
      while (count() === before && written < o.lines && Date.now() < deadline) await sleep(50);
    };
    let kills = 0;
    for (let r = 0; r < o.rounds; r++) {
      await delivering();
      await sleep(o.upMs[0] + o.random() * (o.upMs[1] - o.upMs[0]));
      const victim = serve!;
      const gone = new Promise((res) => victim.once('exit', res));
      victim.kill('SIGKILL');
      await gone;
      kills++;
      await sleep(o.downMs);
      await startServe();
    }
    await writing;
    // Let rsyslog deliver the rest (its retry interval is a second), until the count stops growing.
    let last = -1;
    let still = 0;
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      const n = count();
      if (n >= o.lines) break;
      still = n === last ? still + 1 : 0;
      if (still >= 20) break;
      last = n;
      await sleep(500);
    }
    // A clean stop: everything read is committed.
    const final = serve!;
    const exited = new Promise((res) => final.once('exit', res));
    final.kill('SIGTERM');
    await exited;
    const db = new Database(dbPath, { readonly: true });
    try {
      const rows = db.prepare("SELECT raw FROM messages").all() as Array<{ raw: string }>;
      const seen = new Map<number, number>();
      for (const { raw } of rows) {
        const m = /line (\d{8})$/.exec(raw);
        if (m) seen.set(Number(m[1]), (seen.get(Number(m[1])) ?? 0) + 1);
      }
      let duplicates = 0;
      for (const n of seen.values()) duplicates += n - 1;
      const resends = db.prepare("SELECT value FROM counters WHERE name = 'relp.resends-recognised'").get() as { value: number } | undefined;
      return {
        sent: o.lines,
        stored: seen.size,
        lost: o.lines - seen.size,
        duplicates,
        kills,
        resendsRecognised: resends?.value ?? 0,
        seconds: (Date.now() - started) / 1000,
      };
    } finally {
      db.close();
    }
  } finally {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  }
}
