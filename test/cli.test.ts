// The command line end to end: the built `aaawatch` (npm test builds it first) run as a user
// would, against a temporary configuration and database, with util-linux `logger` as the sender.

import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from './support/corpus.js';
import { tempDir } from './support/ingest.js';
import { freePort } from './support/ports.js';
import { requireTool } from './support/tools.js';

const CLI = join(REPO, 'dist/src/cli.js');
const exec = promisify(execFile);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function aaawatch(args: string[], input?: string, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, AAAWATCH_CONFIG: '', ...env } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    p.stdin.end(input ?? '');
  });
}

let dir: string;
beforeAll(() => {
  dir = tempDir('aaawatch-cli-');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function configFile(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('aaawatch --help', () => {
  it.each(['serve', 'parse', 'import', 'check', 'verify', 'stats', 'unknowns'])('%s --help describes its options', async (cmd) => {
    const r = await aaawatch([cmd, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Usage: aaawatch ${cmd}`);
    expect(r.stdout).toContain('--config');
  });

  it('an unknown sub-command fails', async () => {
    const r = await aaawatch(['frobnicate']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("unknown command 'frobnicate'");
  });
});

describe('aaawatch check', () => {
  it('accepts the example configuration shipped in config/, with its secrets in the environment', async () => {
    const example = join(REPO, 'config/aaawatch.example.yaml');
    const r = await aaawatch(['check', '--config', example], undefined, { AAAWATCH_SSH_PASSWORD: 'x', AAAWATCH_ENABLE: 'y' });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('OK — 3 device(s), 2 pulled');
    const missing = await aaawatch(['check', '--config', example], undefined, { AAAWATCH_SSH_PASSWORD: 'x' });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('pull.credentials.firewalls.enableSecret: environment variable AAAWATCH_ENABLE is not set');
  });

  it('a device to pull without a credential is named with its line', async () => {
    const file = configFile('nocred.yaml', 'devices:\n  - name: core-sw1\n    address: 10.0.0.1\n    platform: cisco-ios\n');
    const r = await aaawatch(['check', '--config', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}:2: devices[0].name: no credential named "default" to pull it with`);
  });

  it('names the file, line and key of each error and exits non-zero', async () => {
    const file = configFile(
      'bad.yaml',
      [
        'ingest:',
        '  udp:',
        '    port: 70000',
        '  tcp:',
        '    idleTimeout: 5',
        'store:',
        '  retentionDays: soon',
        'devices:',
        '  - name: core-sw1',
        '    address: 10.0.0.1',
        '    platform: cisco-ioz',
        '    pull: false',
        '',
      ].join('\n'),
    );
    const r = await aaawatch(['check', '--config', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}:3: ingest.udp.port:`);
    expect(r.stderr).toContain(`${file}:5: ingest.tcp.idleTimeout: unknown key idleTimeout`);
    expect(r.stderr).toContain(`${file}:7: store.retentionDays:`);
  });

  it('checks what needs more than one key: platforms, duplicate names, files named', async () => {
    const file = configFile(
      'semantic.yaml',
      [
        'ingest:',
        '  tls:',
        `    cert: ${join(dir, 'missing.pem')}`,
        `    key: ${join(dir, 'missing.key')}`,
        'devices:',
        '  - { name: core-sw1, address: 10.0.0.1, platform: cisco-ioz, pull: false }',
        '  - { name: CORE-SW1, address: 10.0.0.2, platform: cisco-ios, pull: false }',
        '',
      ].join('\n'),
    );
    const r = await aaawatch(['check', '--config', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`${file}:6: devices\\[0\\]\\.platform: unknown platform "cisco-ioz" \\(known: .*cisco-ios`));
    expect(r.stderr).toContain(`${file}:7: devices[1].name: duplicate of devices[0].name`);
    expect(r.stderr).toContain(`${file}:3: ingest.tls.cert: file not found`);
  });

  it('TACACS+ keys and RADIUS secrets: by reference only, for devices that exist, readable', async () => {
    const inline = configFile('inline-key.yaml', 'ingest:\n  tacacs:\n    keys:\n      - sources: [10.0.0.0/8]\n        key: plain-text-in-the-file\n');
    const r1 = await aaawatch(['check', '--config', inline]);
    expect(r1.code).toBe(2);
    expect(r1.stderr).toContain(`${inline}:5: ingest.tacacs.keys[0].key:`);
    const unknown = configFile('unknown-device.yaml', 'ingest:\n  radius:\n    secrets:\n      - devices: [core-sw9]\n        secret: { env: AAAWATCH_RADIUS }\n');
    const r2 = await aaawatch(['check', '--config', unknown], undefined, { AAAWATCH_RADIUS: 's' });
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain(`${unknown}:4: ingest.radius.secrets[0].devices[0]: no device named "core-sw9" in devices`);
    const good = configFile('native.yaml', 'ingest:\n  tacacs:\n    keys:\n      - sources: [10.0.0.0/8, 2001:db8::/32]\n        key: { env: AAAWATCH_TACACS }\n');
    const unset = await aaawatch(['check', '--config', good]);
    expect(unset.code).toBe(2);
    expect(unset.stderr).toContain('ingest.tacacs.keys[0].key: environment variable AAAWATCH_TACACS is not set');
    const tlsFiles = configFile('tacacs-tls.yaml', `ingest:\n  tacacs:\n    tls:\n      cert: ${join(dir, 'no-cert.pem')}\n`);
    const r3 = await aaawatch(['check', '--config', tlsFiles]);
    expect(r3.code).toBe(2);
    expect(r3.stderr).toContain(`${tlsFiles}:4: ingest.tacacs.tls.cert: file not found`);
    const ok = await aaawatch(['check', '--config', good], undefined, { AAAWATCH_TACACS: 'k' });
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toContain('2 TACACS+ key source(s), 0 RADIUS secret source(s)');
  });

  it('a YAML syntax error names its line', async () => {
    const file = configFile('syntax.yaml', 'ingest:\n  udp: [unclosed\n');
    const r = await aaawatch(['check', '--config', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`${file}:\\d+: `));
  });

  it('a missing file is a clear error', async () => {
    const r = await aaawatch(['check', '--config', join(dir, 'nope.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nope.yaml: cannot read: ENOENT');
  });
});

describe('aaawatch parse', () => {
  it('prints the header and records of each line as JSON, secrets removed', async () => {
    const lines = [
      '<189>2406: *Nov 21 22:10:01.123 UTC: %PARSER-5-CFGLOG_LOGGEDCMD: User:admin  logged command:username bob privilege 15 password 0 Cleartext1',
      '<13>Nov 21 22:10:02 host1 cron[1]: nothing to see',
      '',
      '<999>broken',
    ];
    const r = await aaawatch(['parse', '--received-at', '2026-11-21T23:00:00Z', '--source', '192.0.2.9'], lines.join('\n'));
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('Cleartext1');
    const out = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, any>);
    expect(out.map((o) => o.line)).toEqual([1, 2, 4]);
    expect(out[0]!.header).toMatchObject({ tag: 'PARSER-5-CFGLOG_LOGGEDCMD', time: '2026-11-21T22:10:01.123Z', sequence: '2406' });
    expect(out[0]!.records).toEqual([
      expect.objectContaining({ kind: 'command', actor: 'admin', command: 'username bob privilege 15 password 0 <redacted>', ref: { line: 1 } }),
      expect.objectContaining({ kind: 'account', action: 'account.create', target: 'bob', privilege: '15', device: '192.0.2.9', ref: { line: 1 } }),
    ]);
    expect(out[1]!).toMatchObject({ device: 'host1', header: { appName: 'cron' }, records: [] });
    expect(out[2]!.header).toMatchObject({ format: 'bare', malformed: 'bad-pri' });
  });
});

describe('aaawatch serve, then stats, unknowns and verify', () => {
  it('receives from logger over UDP and TCP, stores, counts, and its chain verifies', async () => {
    if (!requireTool('logger')) return;
    const port = await freePort();
    const db = join(dir, 'serve.db');
    const file = configFile(
      'serve.yaml',
      `ingest:\n  udp: { host: 127.0.0.1, port: ${port} }\n  tcp: { host: 127.0.0.1, port: ${port} }\nstore:\n  path: ${db}\nweb: { enabled: false }\n`,
    );
    const serve = spawn(process.execPath, [CLI, 'serve', '--config', file]);
    let log = '';
    serve.stdout.on('data', (d: Buffer) => (log += d.toString()));
    serve.stderr.on('data', (d: Buffer) => (log += d.toString()));
    for (let i = 0; i < 100 && !log.includes('syslog TCP listening'); i++) await new Promise((r) => setTimeout(r, 100));
    expect(log).toContain(`syslog UDP listening on 127.0.0.1:${port}`);

    await exec('logger', ['--udp', '-n', '127.0.0.1', '-P', String(port), '--rfc3164', '-t', 'cron', 'routine']);
    await exec('logger', ['-T', '-n', '127.0.0.1', '-P', String(port), '--octet-count', '--rfc5424', '-t', 'x', 'tcp routine']);
    // The device's own line, sent raw over TCP (logger always writes its own header).
    const { connect } = await import('node:net');
    await new Promise<void>((resolve) => {
      const s = connect(port, '127.0.0.1', () =>
        s.end('<189>81: r1: .Nov 21 2026 22:10:01.123 UTC: %PARSER-5-CFGLOG_LOGGEDCMD: User:admin  logged command:username eve privilege 15 secret 0 Hunter22\n'),
      );
      s.on('close', () => resolve());
    });
    await new Promise((r) => setTimeout(r, 800));
    serve.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => serve.on('exit', r));
    expect(code).toBe(0);

    const stats = JSON.parse((await aaawatch(['stats', '--json', '--config', file])).stdout) as { counters: Record<string, number> };
    expect(stats.counters).toMatchObject({ 'received.udp': 1, 'received.tcp': 2, 'recognised.messages': 1, 'recognised.records': 2 });
    const verify = await aaawatch(['verify', '--config', file]);
    expect(verify.stdout).toMatch(/^chain OK: 2 records/);
    expect(verify.code).toBe(0);
    const bytes = [db, `${db}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f).toString('latin1')).join('');
    expect(bytes).toContain('username eve privilege 15 secret 0 <redacted>');
    expect(bytes).not.toContain('Hunter22');
  });

  it('verify on a database that does not exist says so', async () => {
    const file = configFile('nodb.yaml', `store:\n  path: ${join(dir, 'none.db')}\n`);
    const r = await aaawatch(['verify', '--config', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no database at');
  });
});
