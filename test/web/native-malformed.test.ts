// Malformed native packets on the device page (issue 18): one switch sending TACACS+ and RADIUS
// packets that do not read is named, per sender, on its own page and in the overview's list of
// native senders, with how many, the last one's reason and when; a second switch whose accounting
// reads is left as it was. Real sockets (TCP and UDP from two loopback addresses), the real
// ingest and its SQLite store, the web thread `serve` runs.

import { writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { obfuscate, writeHeader, type Header } from '../../src/ingest/tacacs/packet.js';
import { aaawatch } from '../support/process.js';
import { accountingStart, udpAnswers } from '../support/radius.js';
import { signIn, startWebFixture, type WebFixture } from './fixture.js';

const KEY_ENV = 'AAAWATCH_TEST_MALFORMED_TACACS_KEY';
const SECRET_ENV = 'AAAWATCH_TEST_MALFORMED_RADIUS_SECRET';
const KEY = 'malformed-key';
const SECRET = 'malformed-secret';

let f: WebFixture;
beforeAll(async () => {
  process.env[KEY_ENV] = KEY;
  process.env[SECRET_ENV] = SECRET;
  f = await startWebFixture((c) => {
    c.ingest.tacacs.port = 0;
    c.ingest.tacacs.keys = [{ devices: [], sources: ['127.0.0.0/8'], key: { env: KEY_ENV } }];
    c.ingest.radius.port = 0;
    c.ingest.radius.secrets = [{ devices: [], sources: ['127.0.0.0/8'], secret: { env: SECRET_ENV } }];
    c.devices.push(
      { name: 'edge-1', address: '127.0.0.1', platform: 'cisco-ios', groups: [], port: 22, pull: false },
      { name: 'edge-2', address: '127.0.0.2', platform: 'cisco-ios', groups: [], port: 22, pull: false },
    );
  });
});
afterAll(async () => {
  await f?.stop();
});

/**
 * An accounting REQUEST (RFC 8907 §7.1) with flags no accounting request may carry (START|STOP),
 * obfuscated with the right key: it reads, and no server may store it.
 */
function badFlags(): Buffer {
  const args = ['task_id=7', 'service=shell', 'cmd=show clock <cr>'].map((a) => Buffer.from(a));
  const [user, port, rem] = ['alice', 'tty2', '192.0.2.44'].map((s) => Buffer.from(s)) as [Buffer, Buffer, Buffer];
  const body = Buffer.concat([Buffer.from([0x06, 6, 15, 1, 1, user.length, port.length, rem.length, args.length, ...args.map((a) => a.length)]), user, port, rem, ...args]);
  const header: Header = { version: 0xc0, type: 3, seq: 1, flags: 0, session: 0x4711, length: body.length };
  return Buffer.concat([writeHeader(header), obfuscate(body, header, Buffer.from(KEY))]);
}

/** Sends `bytes` from 127.0.0.1 and waits for the server to close the connection. */
async function tacacs(port: number, bytes: Buffer): Promise<void> {
  const s = net.connect({ port, host: '127.0.0.1', localAddress: '127.0.0.1' });
  s.resume();
  await new Promise<void>((resolve, reject) => {
    s.on('error', reject);
    s.on('close', () => resolve());
    s.write(bytes);
  });
}

/** The device page's row for one native sender and transport: the check's result and its detail. */
function nativeRow(page: string, proto: string, source: string): string | undefined {
  return new RegExp(`<tr><td>native ${proto} accounting from <code>${source.replaceAll('.', '\\.')}</code></td>(.*?)</tr>`, 's').exec(page)?.[1];
}

describe('malformed native packets, per sender', () => {
  it('counted against the sender that sent them, with the last reason and when, on its device page and the overview; another sender untouched', async () => {
    const { t } = f;
    await tacacs(t.ingest.native.tacacs!.port, badFlags());
    // An attribute whose length runs past the packet's: the datagram does not parse.
    const broken = accountingStart(9, 'edge-1-session', SECRET, 'alice', 'edge-1');
    broken[21] = 200;
    const good = accountingStart(10, 'edge-2-session', SECRET, 'bob', 'edge-2');
    const radiusPort = t.ingest.native.radius!.port;
    expect(await udpAnswers(radiusPort, [broken], 500, '127.0.0.1')).toEqual([undefined]);
    expect((await udpAnswers(radiusPort, [good], 5000, '127.0.0.2'))[0]?.[0]).toBe(5);
    // The global counters, as before.
    await t.until(() => t.counter('rejected.tacacs-bad-flags') === 1 && t.counter('rejected.radius-bad-attribute') === 1);
    // A known pair's row follows within a second (writer.ts COUNTS_MS).
    const rows = (): unknown[] =>
      t.db.prepare('SELECT transport, source, device, accepted, bad_key, malformed, last_malformed IS NOT NULL AS dated, last_malformed_reason FROM native_senders ORDER BY source, transport').all();
    await t.until(() => rows().length === 3);
    expect(rows()).toEqual([
      { transport: 'radius', source: '127.0.0.1', device: 'edge-1', accepted: 0, bad_key: 0, malformed: 1, dated: 1, last_malformed_reason: 'radius-bad-attribute' },
      { transport: 'tacacs', source: '127.0.0.1', device: 'edge-1', accepted: 0, bad_key: 0, malformed: 1, dated: 1, last_malformed_reason: 'tacacs-bad-flags' },
      { transport: 'radius', source: '127.0.0.2', device: 'edge-2', accepted: 1, bad_key: 0, malformed: 0, dated: 0, last_malformed_reason: null },
    ]);

    const viewer = await signIn(f.base, 'viewer');
    const edge1 = await (await viewer.get('/devices/edge-1')).text();
    const time = '<time [^>]*>[^<]*</time>';
    const tac = nativeRow(edge1, 'TACACS\\+', '127.0.0.1');
    expect(tac).toMatch(new RegExp(`^<td><span class="badge bad">fail</span></td><td>0 accepted; <span class="bad">1 malformed</span> \\(last ${time}: <code>tacacs-bad-flags</code>\\)</td>$`));
    expect(nativeRow(edge1, 'RADIUS', '127.0.0.1')).toMatch(new RegExp(`<span class="bad">1 malformed</span> \\(last ${time}: <code>radius-bad-attribute</code>\\)`));
    const edge2 = await (await viewer.get('/devices/edge-2')).text();
    const rad2 = nativeRow(edge2, 'RADIUS', '127.0.0.2');
    expect(rad2).toMatch(/^<td><span class="badge ok">pass<\/span><\/td><td>1 accepted \(last /);
    expect(rad2).not.toContain('malformed');
    expect(edge2).not.toContain('127.0.0.1');

    const overview = await (await viewer.get('/')).text();
    const sender = (source: string, transport: string): string[] => {
      const row = new RegExp(`<tr><td><code>${source.replaceAll('.', '\\.')}</code></td><td>${transport}</td>(.*?)</tr>`, 's').exec(overview)?.[1] ?? '';
      return [...row.matchAll(/<td>(.*?)<\/td>/gs)].map((m) => m[1]!);
    };
    // Devices, accepted, wrong key, malformed, naming devices not its own.
    const tacacsSender = sender('127.0.0.1', 'TACACS\\+');
    expect(tacacsSender.slice(1, 3)).toEqual(['0', '0']);
    expect(tacacsSender[3]).toMatch(new RegExp(`^<span class="bad">1</span> <small>\\(last ${time}: <code>tacacs-bad-flags</code>\\)</small>$`));
    expect(sender('127.0.0.2', 'RADIUS').slice(1, 5)).toEqual(['1', '0', '0', '0']);

    // `aaawatch stats`: a line per sender and device, the malformed count and the last one's reason; every column in its JSON.
    const config = join(t.dir, 'stats.yaml');
    writeFileSync(config, `store:\n  path: ${t.config.store.path}\n`);
    const text = await aaawatch(['stats', '--config', config]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^edge-1 +tacacs +127\.0\.0\.1 +0 +0 +0 +0 +1 - \S+Z tacacs-bad-flags$/m);
    expect(text.stdout).toMatch(/^edge-2 +radius +127\.0\.0\.2 +1 +0 +0 +0 +0 \S+Z$/m);
    const json = await aaawatch(['stats', '--config', config, '--json']);
    const native = (JSON.parse(json.stdout) as { native: Array<Record<string, unknown>> }).native;
    expect(native.map((n) => [n.device, n.transport, n.malformed, n.last_malformed_reason])).toEqual([
      ['edge-1', 'radius', 1, 'radius-bad-attribute'], ['edge-1', 'tacacs', 1, 'tacacs-bad-flags'], ['edge-2', 'radius', 0, null],
    ]);
  });
});
