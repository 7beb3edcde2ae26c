// Envelopes through a real ingest service (real sockets, real SQLite): a real sender (util-linux
// `logger`) forwards a public Wazuh eventchannel sample under its own syslog header, a TCP client
// sends a public event XML document octet-counted; each is recognised by the platform of the event
// inside, and the record's stored raw message is the frame as it arrived, envelope and all.

import { execFile } from 'node:child_process';
import net from 'node:net';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { corpusInput } from '../tools/corpus-cases.js';
import { corpusLines, corpusPath } from '../support/corpus.js';
import { startTestIngest, type TestIngest } from '../support/ingest.js';
import { requireTool } from '../support/tools.js';

const run = promisify(execFile);
let t: TestIngest | undefined;

afterEach(async () => {
  await t?.stop();
  t = undefined;
});

function sendTcp(port: number, frames: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => {
      s.end(frames.map((f) => `${Buffer.byteLength(f)} ${f}`).join(''));
    });
    s.on('close', () => resolve());
    s.on('error', reject);
  });
}

interface Row {
  platform: string;
  action: string;
  target: string;
  device: string;
  raw: string;
}

const rows = (t: TestIngest): Row[] => t.db.prepare('SELECT platform, action, target, device, raw FROM events ORDER BY id').all() as Row[];

describe('envelopes through serve', () => {
  it('a Wazuh eventchannel event forwarded by logger: recognised by windows, the frame stored whole', async (ctx) => {
    if (!requireTool('logger')) return ctx.skip('logger is not installed');
    t = await startTestIngest();
    const file = 'envelopes/wazuh/win_security.ini.relevant';
    const event = corpusInput(file, corpusLines(...file.split('/'))[0]!);
    await run('logger', ['--tcp', '--octet-count', '-n', '127.0.0.1', '-P', String(t.ingest.tcp!.port), '--rfc5424', '--size', '65536', '-t', 'wazuh', event]);
    await t.until(() => rows(t!).length === 1);
    const [r] = rows(t);
    expect(r).toMatchObject({ platform: 'windows', action: 'account.modify', target: 'toby', device: 'apt29w1.xrisbarney.local' });
    expect(r!.raw.startsWith('<13>1 ')).toBe(true);
    expect(r!.raw.endsWith(event)).toBe(true);
  });

  it('an event XML document octet-counted over TCP, and a broken envelope counted and kept', async () => {
    t = await startTestIngest();
    const xml = readFileSync(corpusPath('envelopes', 'windows-xml', 'ms-docs-event-4720.xml'), 'utf8');
    const broken = '<14>Nov 21 22:10:01 wazuh ossec: {"integration":"office365","office365":{"Operation":"Add us';
    await sendTcp(t.ingest.tcp!.port, [xml, broken]);
    await t.until(() => rows(t!).length === 1 && t!.counter('malformed.envelope-json') === 1);
    const [r] = rows(t);
    expect(r).toMatchObject({ platform: 'windows', action: 'account.create', target: 'ksmith', device: 'DC01.contoso.local' });
    expect(r!.raw).toBe(xml);
    const kept = t.db.prepare('SELECT reason, raw FROM rejects').all() as Array<{ reason: string; raw: Buffer }>;
    expect(kept.map((k) => [k.reason, Buffer.from(k.raw).toString()])).toEqual([['envelope-json', broken]]);
  });
});
