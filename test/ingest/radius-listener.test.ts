// The RADIUS UDP listener end to end: senders over IPv6 and IPv4-mapped IPv6, the allow list and
// senders without a secret, a retransmission while its request is being stored, closing while
// requests are being stored, and a port in use at start. Real sockets, a real store. (Written for
// rad18e's receiving thread, 5384c2f, which was measured and taken out: they hold for either.)

import { execFile } from 'node:child_process';
import dgram from 'node:dgram';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/schema.js';
import { startTestIngest, type TestIngest } from '../support/ingest.js';
import { freePort } from '../support/ports.js';
import { accountingStart as signedStart } from '../support/radius.js';
import { tempDir } from '../support/temp.js';
import { heldUdpPort } from '../support/udp.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SECRET_ENV = 'AAAWATCH_TEST_RADIUS_LISTENER_SECRET';
const SECRET = 'listener-secret';

let t: TestIngest | undefined;
const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
  await t?.stop();
  t = undefined;
});

async function start(patch: (c: Config) => void = () => {}): Promise<TestIngest> {
  process.env[SECRET_ENV] = SECRET;
  return startTestIngest((c) => {
    c.ingest.radius.port = 0;
    c.ingest.radius.host = '::';
    c.ingest.radius.secrets = [{ devices: [], sources: ['127.0.0.0/8', '::1'], secret: { env: SECRET_ENV } }];
    patch(c);
  });
}

/** A Start of a device-administration session (support/radius.ts), signed with this file's secret. */
const accountingStart = (identifier: number, session: string): Buffer => signedStart(identifier, session, Buffer.from(SECRET));

async function client(type: 'udp4' | 'udp6', address: string): Promise<{ socket: dgram.Socket; answers: Buffer[] }> {
  const socket = dgram.createSocket(type);
  await new Promise<void>((resolve) => socket.bind(0, address, resolve));
  const answers: Buffer[] = [];
  socket.on('message', (m) => answers.push(m));
  cleanups.push(() => new Promise<void>((resolve) => socket.close(() => resolve())));
  return { socket, answers };
}

const radiusEvents = (db: TestIngest['db']): Array<{ session: string }> =>
  db.prepare("SELECT session FROM events WHERE transport = 'radius' ORDER BY id").all() as Array<{ session: string }>;

const sources = (db: TestIngest['db']): Array<{ source: string; accepted: number }> =>
  db.prepare("SELECT source, accepted FROM native_senders WHERE transport = 'radius' ORDER BY source").all() as Array<{ source: string; accepted: number }>;

const settleFor = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('the RADIUS UDP listener', () => {
  it('answers senders over IPv6 and IPv4-mapped IPv6 on a dual-stack socket, each under its plain address', async () => {
    t = await start();
    const port = t.ingest.native.radius!.port;
    const v6 = await client('udp6', '::1');
    const v4 = await client('udp4', '127.0.0.1');
    v6.socket.send(accountingStart(1, 'over-v6'), port, '::1');
    v4.socket.send(accountingStart(2, 'over-v4'), port, '127.0.0.1');
    await t.until(() => v6.answers.length === 1 && v4.answers.length === 1);
    expect([v6.answers[0]![0], v6.answers[0]![1], v4.answers[0]![0], v4.answers[0]![1]]).toEqual([5, 1, 5, 2]);
    expect(radiusEvents(t.db).map((e) => e.session).sort()).toEqual(['over-v4', 'over-v6']);
    // 127.0.0.1 arrives at the `::` socket as ::ffff:127.0.0.1: counted under the address the allow list and secrets know.
    expect(sources(t.db)).toEqual([{ source: '127.0.0.1', accepted: 1 }, { source: '::1', accepted: 1 }]);
  });

  it('refuses senders outside ingest.allow and senders without a secret, counted, unanswered, nothing stored', async () => {
    t = await start((c) => {
      c.ingest.allow = ['127.0.0.0/8'];
      c.ingest.radius.secrets = [{ devices: [], sources: ['127.0.0.2/32'], secret: { env: SECRET_ENV } }];
    });
    const port = t.ingest.native.radius!.port;
    const outside = await client('udp6', '::1');
    const noSecret = await client('udp4', '127.0.0.1');
    const known = await client('udp4', '127.0.0.2');
    outside.socket.send(accountingStart(7, 'outside'), port, '::1');
    noSecret.socket.send(accountingStart(8, 'no-secret'), port, '127.0.0.1');
    known.socket.send(accountingStart(9, 'known'), port, '127.0.0.1');
    await t.until(() => known.answers.length === 1 && t!.counter('rejected.source-not-allowed') === 1 && t!.counter('rejected.radius-unknown-source') === 1);
    await settleFor(200);
    expect(outside.answers).toEqual([]);
    expect(noSecret.answers).toEqual([]);
    expect(t.counter('received.radius')).toBe(3);
    expect(radiusEvents(t.db).map((e) => e.session)).toEqual(['known']);
  });

  it('a retransmission arriving while its request is being stored waits for the same answer; stored once', async () => {
    t = await start();
    const port = t.ingest.native.radius!.port;
    const c = await client('udp4', '127.0.0.1');
    const request = accountingStart(42, 'sent-twice');
    // Sent back to back: the second finds the first still waiting for its commit (or, at worst, answered).
    c.socket.send(request, port, '127.0.0.1');
    c.socket.send(request, port, '127.0.0.1');
    await t.until(() => c.answers.length === 2);
    expect(c.answers[0]!.equals(c.answers[1]!)).toBe(true);
    expect(t.counter('duplicate.radius')).toBe(1);
    expect(radiusEvents(t.db).map((e) => e.session)).toEqual(['sent-twice']);
  });

  it('closing while requests are being stored answers only what was committed, and every answered request is in the store', async () => {
    t = await start();
    const port = t.ingest.native.radius!.port;
    const c = await client('udp4', '127.0.0.1');
    const N = 200;
    for (let i = 0; i < N; i++) c.socket.send(accountingStart(i % 256, `closing-${i}`), port, '127.0.0.1');
    await t.until(() => t!.counter('received.radius') > 0 || c.answers.length > 0);
    const db = t.db;
    const stopped = t.ingest.stop();
    await stopped;
    await settleFor(100);
    const stored = new Set(radiusEvents(db).map((e) => e.session));
    // Identifiers repeat every 256: N < 256 keeps each answer's Identifier its request's.
    for (const a of c.answers) expect(stored.has(`closing-${a[1]!}`)).toBe(true);
    expect(t.ingest.native.radius!.listening()).toBe(false);
    db.close();
    rmSync(t.dir, { recursive: true, force: true });
    t = undefined;
  });

  it('a RADIUS port in use stops serve naming the file, line and key, exit 2', async () => {
    const dir = tempDir();
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const port = await heldUdpPort(cleanups);
    const config = join(dir, 'aaawatch.yaml');
    writeFileSync(
      config,
      `ingest:\n  udp: { host: 127.0.0.1, port: ${await freePort()} }\n  tcp: { host: 127.0.0.1, port: ${await freePort()} }\n` +
        `  radius:\n    host: 127.0.0.1\n    port: ${port}\n    secrets: [{ sources: [127.0.0.0/8], secret: { env: ${SECRET_ENV} } }]\n` +
        `store:\n  path: ${join(dir, 'a.db')}\nweb: { enabled: false }\n`,
    );
    const failed = await run('node', [join(ROOT, 'dist/src/cli.js'), 'serve', '-c', config], { env: { ...process.env, [SECRET_ENV]: SECRET } }).then(
      () => undefined,
      (err: { code: number; stderr: string }) => err,
    );
    // A configuration error since the port check (probe-config2): exit 2, the file, line and key named.
    expect(failed?.code).toBe(2);
    expect(failed?.stderr).toContain(`${config}:6: ingest.radius.port: UDP port ${port} on 127.0.0.1 is in use by another process`);
  }, 60_000);
});
