// RADIUS packets for tests that speak to the listener directly (without radclient).

import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import dgram from 'node:dgram';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../../src/config/schema.js';
import { startTestIngest, type TestIngest } from './ingest.js';
import { requireTool } from './tools.js';

/** An Accounting-Request Start of a device-administration session, signed as RFC 2866 §3 says. */
export function accountingStart(identifier: number, session: string, secret: Buffer | string, user = 'burst', nas = 'burst-nas'): Buffer {
  const attr = (type: number, value: Buffer): Buffer => Buffer.concat([Buffer.from([type, value.length + 2]), value]);
  const int = (n: number): Buffer => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    return b;
  };
  const attrs = Buffer.concat([
    attr(40, int(1)), // Acct-Status-Type = Start
    attr(1, Buffer.from(user)), // User-Name
    attr(44, Buffer.from(session)), // Acct-Session-Id
    attr(32, Buffer.from(nas)), // NAS-Identifier
    attr(6, int(7)), // Service-Type = NAS-Prompt-User
  ]);
  const p = Buffer.concat([Buffer.from([4, identifier, 0, 0]), Buffer.alloc(16), attrs]);
  p.writeUInt16BE(p.length, 2);
  createHash('md5').update(p).update(secret).digest().copy(p, 4);
  return p;
}

/** radclient (freeradius-utils) sending the packets of `packets` (blank-line separated attribute lists, written into `dir`): its output and exit code. */
export function runRadclient(dir: string, port: number, command: 'acct' | 'status', secret: string, packets: string, extra: string[] = []): Promise<{ code: number | null; out: string }> {
  const tool = requireTool('radclient');
  if (!tool) throw new Error('radclient is not installed');
  const file = join(dir, `packets-${Math.random().toString(36).slice(2)}.txt`);
  writeFileSync(file, packets);
  return new Promise((resolve) => {
    execFile(tool, ['-f', file, '-r', '2', '-t', '2', ...extra, `127.0.0.1:${port}`, command, secret], { timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr });
    });
  });
}

export interface RadiusEventRow {
  kind: string;
  action: string;
  device: string;
  actor: string | null;
  actor_address: string | null;
  target: string | null;
  privilege: string | null;
  command: string | null;
  session: string | null;
  path: string | null;
  raw: string;
  transport: string;
  time: number;
}

/** The records stored, in order. */
export const radiusEvents = (db: TestIngest['db']): RadiusEventRow[] =>
  db.prepare('SELECT kind, action, device, actor, actor_address, target, privilege, role, command, session, path, raw, transport, time FROM events ORDER BY id').all() as RadiusEventRow[];

/** An ingest with the RADIUS server on a free port, `secret` (read from the environment variable `env`) for loopback senders. */
export async function startRadiusIngest(env: string, secret: string, patch: (c: Config) => void = () => {}): Promise<TestIngest> {
  process.env[env] = secret;
  return startTestIngest((c) => {
    c.ingest.radius.port = 0;
    c.ingest.radius.secrets = [{ devices: [], sources: ['127.0.0.0/8', '::1'], secret: { env } }];
    patch(c);
  });
}

/** Sends each datagram in turn from one socket (at `from`, a loopback address) and waits for one answer each (undefined: none within `waitMs`). */
export async function udpAnswers(port: number, datagrams: Buffer[], waitMs = 2000, from = '127.0.0.1'): Promise<Array<Buffer | undefined>> {
  const s = dgram.createSocket('udp4');
  const answers: Array<Buffer | undefined> = [];
  await new Promise<void>((r) => s.bind(0, from, () => r()));
  try {
    for (const d of datagrams) {
      const got = new Promise<Buffer | undefined>((resolve) => {
        const timer = setTimeout(() => resolve(undefined), waitMs);
        s.once('message', (m) => (clearTimeout(timer), resolve(m)));
      });
      s.send(d, port, '127.0.0.1');
      answers.push(await got);
    }
  } finally {
    s.close();
  }
  return answers;
}
