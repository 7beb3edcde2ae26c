// Frames that are not UTF-8, end to end: sent over real sockets (node's net, util-linux `logger`
// reading a Latin-1 file, UDP), stored byte for byte (read back from SQLite), covered by the chain,
// and shown escaped (`\xNN`) on a finding's page and in `aaawatch parse` output.

import { execFile, spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { raiseFinding } from '../../src/reconcile/findings.js';
import { verifyChain } from '../../src/store/chain.js';
import { hashPassword } from '../../src/web/passwords.js';
import { startWeb } from '../../src/web/server.js';
import { saveUser } from '../../src/web/store.js';
import { REPO } from '../support/corpus.js';
import { startTestIngest, type TestIngest } from '../support/ingest.js';
import { toolOrSkip } from '../support/tools.js';
import { PASSWORD, signIn } from '../web/fixture.js';

const run = promisify(execFile);

let t: TestIngest | undefined;
afterEach(async () => {
  await t?.stop();
  t = undefined;
});

/** A Junos interactive command creating an account whose name is Latin-1 `josé` (one byte, E9), not UTF-8. */
function junos(host: string): Buffer {
  const user = Buffer.from([0x6a, 0x6f, 0x73, 0xe9]);
  return Buffer.concat([
    Buffer.from(`<29>1 2026-11-21T22:10:01Z ${host} mgd 4242 UI_CMDLINE_READ_LINE [junos@2636.1.1.1.2.29 username="admin" command="set system login user `),
    user,
    Buffer.from(' class super-user"] User \'admin\', command \'set system login user '),
    user,
    Buffer.from(' class super-user\' from C:\\temp'),
  ]);
}

const ESCAPED_USER = 'jos\\xE9';

function events(db: TestIngest['db']): Array<{ id: number; kind: string; target: string | null; raw: string; raw_bytes: Buffer | null }> {
  return db.prepare('SELECT id, kind, target, raw, raw_bytes FROM events ORDER BY id').all() as never;
}

describe('non-UTF-8 frames', () => {
  it('are stored byte for byte over TCP and UDP, their escaped form chained; editing the bytes breaks verify', async () => {
    t = await startTestIngest((c) => {
      c.store.storeAllMessages = true;
    });
    const tcpFrame = junos('r-tcp');
    const udpFrame = junos('r-udp');
    await new Promise<void>((resolve, reject) => {
      const s = net.connect(t!.ingest.tcp!.port, '127.0.0.1', () => s.end(Buffer.concat([tcpFrame, Buffer.from('\n')]), () => resolve()));
      s.on('error', reject);
    });
    const u = dgram.createSocket('udp4');
    await new Promise<void>((resolve, reject) => u.send(udpFrame, t!.ingest.udp!.port, '127.0.0.1', (err) => (u.close(), err ? reject(err) : resolve())));
    await t.until(() => t!.counter('recognised.messages') === 2);
    const rows = events(t.db);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const r of rows) {
      const sent = r.raw.includes('r-tcp') ? tcpFrame : udpFrame;
      expect(r.raw_bytes).toEqual(sent);
      expect(r.raw).toContain(`user ${ESCAPED_USER} class`);
      expect(r.raw).toContain('C:\\x5Ctemp');
    }
    expect(rows.filter((r) => r.kind === 'account').map((r) => r.target)).toEqual(['jos\u00e9', 'jos\u00e9']);
    expect(t.counter('malformed.not-utf8')).toBe(2);
    expect(verifyChain(t.db).ok).toBe(true);
    // The bytes are outside the chain's body, but must still be what its escaped form says.
    t.db.prepare('UPDATE events SET raw_bytes = ? WHERE id = ?').run(Buffer.from(tcpFrame.toString('latin1').replace('admin', 'alice'), 'latin1'), rows[0]!.id);
    expect(verifyChain(t.db)).toMatchObject({ ok: false, broken: { id: rows[0]!.id, reason: 'its message bytes were changed' } });
  });

  it('real sender: logger reads a Latin-1 file and sends it over TCP; the frame is stored byte for byte', async (ctx) => {
    toolOrSkip(ctx, 'logger');
    t = await startTestIngest((c) => {
      c.store.storeAllMessages = true;
    });
    const line = Buffer.concat([Buffer.from('login of '), Buffer.from([0x6a, 0x6f, 0x73, 0xe9, 0xff]), Buffer.from(' from 192.0.2.7')]);
    const file = join(t.dir, 'latin1.txt');
    writeFileSync(file, Buffer.concat([line, Buffer.from('\n')]));
    await run('logger', ['-T', '-n', '127.0.0.1', '-P', String(t.ingest.tcp!.port), '--rfc3164', '-t', 'legacy', '-f', file]);
    await t.until(() => t!.counter('received.tcp') === 1);
    const row = t.db.prepare('SELECT raw, raw_bytes FROM messages').get() as { raw: string; raw_bytes: Buffer };
    expect(row.raw_bytes.subarray(row.raw_bytes.length - line.length)).toEqual(line);
    expect(row.raw.endsWith('login of jos\\xE9\\xFF from 192.0.2.7')).toBe(true);
  });

  it('a finding’s page shows the evidence escaped, as stored, and says which message was cut short', async () => {
    t = await startTestIngest((c) => {
      c.web.port = 0;
      c.ingest.maxMessageBytes = 600;
    });
    const banner = `<189>2406: r-page: *Nov 21 22:10:01.123 UTC: %PARSER-5-CFGLOG_LOGGEDCMD: User:admin  logged command:banner motd ^${'x'.repeat(900)}^`;
    await new Promise<void>((resolve, reject) => {
      const s = net.connect(t!.ingest.tcp!.port, '127.0.0.1', () => s.end(Buffer.concat([junos('r-page'), Buffer.from(`\n${banner}\n`)]), () => resolve()));
      s.on('error', reject);
    });
    await t.until(() => t!.counter('recognised.messages') === 2);
    const ids = events(t.db).map((r) => r.id);
    const finding = raiseFinding(t.db, {
      kind: 'account-created', severity: 'high', device: 'r-page', account: 'jos\u00e9',
      summary: 'an account created', attribution: 'by admin', evidence: { events: ids },
    }).id;
    saveUser(t.db, 'viewer', 'viewer', await hashPassword(PASSWORD.viewer), Date.now(), false);
    const web = await startWeb(t.config, t.db, pino({ level: 'silent' }));
    try {
      const viewer = await signIn(web.url, 'viewer');
      const page = await (await viewer.get(`/findings/${finding}`)).text();
      const raw = /<pre class="raw">([^<]*)<\/pre>/.exec(page)?.[1];
      expect(page.match(/Only its start was kept/g)).toHaveLength(1);
      expect(raw).toContain(`set system login user ${ESCAPED_USER} class super-user`);
      expect(raw).toContain('C:\\x5Ctemp');
      expect(page).toContain('Not UTF-8: each byte that is no UTF-8 character, and each backslash, is shown as \\xNN');
    } finally {
      await web.close();
    }
  });

  it('`aaawatch parse` shows such a line escaped, not replaced', async () => {
    const out = await new Promise<string>((resolve, reject) => {
      const p = spawn(process.execPath, [join(REPO, 'dist/src/cli.js'), 'parse', '--received-at', '2026-11-21T23:00:00Z'], { env: { ...process.env, AAAWATCH_CONFIG: '' } });
      let stdout = '';
      p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      p.on('error', reject);
      p.on('close', () => resolve(stdout));
      p.stdin.end(Buffer.concat([junos('r-parse'), Buffer.from('\n<13>Nov 21 22:10:02 h app: plain\n')]));
    });
    const lines = out.trim().split('\n').map((l) => JSON.parse(l) as { line: number; header: { latin1?: boolean; message: string } });
    expect(lines.map((l) => [l.line, l.header.latin1 ?? false])).toEqual([[1, true], [2, false]]);
    expect(lines[0]!.header.message).toBe(`User 'admin', command 'set system login user ${ESCAPED_USER} class super-user' from C:\\x5Ctemp`);
    expect(lines[1]!.header.message).toBe('plain');
  });
});
