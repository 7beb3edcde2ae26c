// `aaawatch serve` observed as an operator and systemd observe it: the built command started with
// $NOTIFY_SOCKET and $WATCHDOG_USEC (a real unix datagram socket, read by Perl) and fed over real
// sockets by util-linux logger; /metrics scraped and read strictly, /healthz asked; the store
// locked by another connection until a write fails, which must fail the health check and stop the
// watchdog pings, and start them again once the lock is gone; SIGTERM answered with STOPPING=1.

import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import dgram from 'node:dgram';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO } from '../support/corpus.js';
import { tempDir } from '../support/temp.js';
import { notifySocket, type NotifySocket } from '../support/notify-socket.js';
import { freePort } from '../support/ports.js';
import { parseExposition, type Exposition } from '../support/prometheus.js';
import { requireTool } from '../support/tools.js';

const CLI = join(REPO, 'dist/src/cli.js');
const exec = promisify(execFile);

const dirs: string[] = [];
const processes: ChildProcess[] = [];
const sockets: NotifySocket[] = [];
afterAll(() => {
  for (const p of processes) if (p.exitCode === null) p.kill('SIGKILL');
  for (const s of sockets) s.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

// A guard against a hang only (a loaded machine takes several times as long as a quiet one).
async function until<T>(what: string, f: () => Promise<T | undefined>, ms = 120_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not reached in time`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('aaawatch serve: /metrics, /healthz and systemd notifications', () => {
  it('reports READY=1, counts real traffic, feeds the watchdog only while healthy, and says STOPPING=1', async (ctx) => {
    for (const tool of ['logger', 'perl', 'systemd-notify']) if (!requireTool(tool)) ctx.skip(`${tool} is not installed`);
    const dir = tempDir('aaawatch-observe-');
    dirs.push(dir);
    const port = await freePort();
    const webPort = await freePort();
    const dbPath = join(dir, 'data', 'aaawatch.db');
    const config = join(dir, 'aaawatch.yaml');
    writeFileSync(
      config,
      `ingest:\n  udp: { host: 127.0.0.1, port: ${port} }\n  tcp: { host: 127.0.0.1, port: ${port} }\nstore:\n  path: ${dbPath}\nweb: { host: 127.0.0.1, port: ${webPort} }\n`,
    );
    const notify = await notifySocket(dir);
    sockets.push(notify);
    const serve = spawn(process.execPath, [CLI, 'serve', '--config', config], {
      env: { ...process.env, AAAWATCH_CONFIG: '', NOTIFY_SOCKET: notify.path, WATCHDOG_USEC: '1000000' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    processes.push(serve);
    let log = '';
    serve.stdout!.on('data', (d: Buffer) => (log += d.toString()));
    serve.stderr!.on('data', (d: Buffer) => (log += d.toString()));
    const exited = new Promise<number | null>((r) => serve.on('exit', r));

    // READY=1 once listening, with a status naming the listeners; then pings every half second.
    const ready = await notify.next((m) => m.READY === '1');
    expect(ready.STATUS).toBe(`collecting; syslog udp :${port}, syslog tcp :${port}, web :${webPort}`);
    const readyAt = notify.messages.indexOf(ready);
    await notify.next((m) => m.WATCHDOG === '1', readyAt + 1);
    const second = notify.messages.findIndex((m, i) => i > readyAt && m.WATCHDOG === '1');
    await notify.next((m) => m.WATCHDOG === '1', second + 1);

    // Real traffic: logger over UDP and TCP, a device's own line over TCP, a bad PRI over UDP.
    await exec('logger', ['--udp', '-n', '127.0.0.1', '-P', String(port), '--rfc3164', '-t', 'cron', 'routine']);
    await exec('logger', ['-T', '-n', '127.0.0.1', '-P', String(port), '--octet-count', '--rfc5424', '-t', 'x', 'tcp routine']);
    await new Promise<void>((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1', () =>
        s.end('<189>81: r1: .Nov 21 2026 22:10:01.123 UTC: %PARSER-5-CFGLOG_LOGGEDCMD: User:admin  logged command:username eve privilege 15 secret 0 Hunter22\n'),
      );
      s.on('error', reject);
      s.on('close', () => resolve());
    });
    await new Promise<void>((resolve, reject) => {
      const u = dgram.createSocket('udp4');
      u.send('<999>not a priority', port, '127.0.0.1', (err) => {
        u.close();
        if (err) reject(err);
        else resolve();
      });
    });

    const metrics = async (): Promise<Exposition> => {
      const res = await fetch(`http://127.0.0.1:${webPort}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
      return parseExposition(await res.text());
    };
    // Counted in the batches handed to the store; the account record raises a finding, which the
    // findings gauge reads from the store. The commit's time and the reconciliation's duration
    // reach the metrics in messages of their own threads, which may come after the store shows the
    // finding: waited for too, not read in the same scrape.
    const e = await until('traffic, the finding, a commit and a reconciliation in /metrics', async () => {
      const m = await metrics();
      return (m.value('aaawatch_received_messages_total', { transport: 'udp' }) ?? 0) >= 2 &&
        (m.value('aaawatch_received_messages_total', { transport: 'tcp' }) ?? 0) >= 2 &&
        (m.value('aaawatch_store_batch_seconds_count') ?? 0) >= 1 &&
        (m.value('aaawatch_reconcile_duration_seconds_count') ?? 0) >= 1 &&
        m.samples.some((s) => s.name === 'aaawatch_findings' && s.labels.kind === 'account-created')
        ? m
        : undefined;
    });
    expect(e.value('aaawatch_received_messages_total', { transport: 'udp' })).toBe(2);
    expect(e.value('aaawatch_received_messages_total', { transport: 'tcp' })).toBe(2);
    expect(e.value('aaawatch_recognised_messages_total')).toBe(1);
    expect(e.value('aaawatch_recognised_records_total')).toBe(2);
    expect(e.value('aaawatch_malformed_messages_total', { reason: 'bad-pri' })).toBe(1);
    expect(e.value('aaawatch_dropped_total', { reason: 'store-behind' })).toBe(0);
    expect(e.value('aaawatch_store_batch_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(e.value('aaawatch_store_backlog_batches')).toBeGreaterThanOrEqual(0);
    expect(e.value('aaawatch_reconcile_duration_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(e.value('aaawatch_udp_receive_buffer_bytes')).toBeGreaterThan(0);
    expect(e.value('aaawatch_kernel_udp_socket_drops_total')).toBe(0);
    expect(e.samples.find((s) => s.name === 'aaawatch_findings' && s.labels.kind === 'account-created')?.value).toBe(1);
    expect(e.types.get('process_resident_memory_bytes')).toBe('gauge');

    const healthz = async (): Promise<{ status: number; body: { status: string; checks: Record<string, { ok: boolean; detail: string }> } }> => {
      const res = await fetch(`http://127.0.0.1:${webPort}/healthz`);
      return { status: res.status, body: (await res.json()) as { status: string; checks: Record<string, { ok: boolean; detail: string }> } };
    };
    const healthy = await healthz();
    expect(healthy.status).toBe(200);
    expect(healthy.body.status).toBe('pass');
    expect(Object.values(healthy.body.checks).every((c) => c.ok)).toBe(true);

    // Another connection holds SQLite's write lock: the store thread's next probe waits out the
    // busy timeout and fails, the check fails, systemd hears why, and the pings stop.
    const lock = new Database(dbPath);
    try {
      lock.exec('BEGIN IMMEDIATE');
      const failing = await until('/healthz failing', async () => {
        const h = await healthz();
        return h.status === 503 ? h : undefined;
      });
      expect(failing.body.status).toBe('fail');
      expect(failing.body.checks.store).toEqual({ ok: false, detail: 'the last write failed: database is locked' });
      const said = await notify.next((m) => m.STATUS?.startsWith('store: the last write failed') === true, readyAt);
      const from = notify.messages.indexOf(said) + 1;
      // Several watchdog periods (0.5 s each) pass with no ping.
      await new Promise((r) => setTimeout(r, 2500));
      expect(notify.messages.slice(from).filter((m) => m.WATCHDOG === '1')).toEqual([]);
      lock.exec('ROLLBACK');
    } finally {
      lock.close();
    }
    // The lock gone, the next probe commits: healthy again, and the pings resume.
    const failedAt = notify.messages.findIndex((m) => m.STATUS?.startsWith('store: the last write failed') === true);
    const recovered = await notify.next((m) => m.STATUS?.startsWith('collecting') === true, failedAt);
    await notify.next((m) => m.WATCHDOG === '1', notify.messages.indexOf(recovered));
    expect((await healthz()).status).toBe(200);

    const stopFrom = notify.messages.length;
    serve.kill('SIGTERM');
    expect(await exited).toBe(0);
    await notify.next((m) => m.STOPPING === '1', stopFrom);
    expect(log).not.toContain('systemd notification not delivered');
  });
});
