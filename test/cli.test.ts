// The command line end to end: the built `aaawatch` (npm test builds it first) run as a user
// would, against a temporary configuration and database, with util-linux `logger` as the sender.

import { execFile, spawn } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from './support/corpus.js';
import { tempDir } from './support/temp.js';
import { freePort } from './support/ports.js';
import { watch, type Watched } from './support/process.js';
import { toolOrSkip } from './support/tools.js';

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
  it.each(['serve', 'parse', 'import', 'check', 'verify', 'stats', 'unknowns', 'accounts', 'findings'])('%s --help describes its options', async (cmd) => {
    const r = await aaawatch([cmd, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Usage: aaawatch ${cmd}`);
    expect(r.stdout).toContain('--config');
  });

  it('accounts --help: the population with the page\'s filters and order, --csv the page\'s export, --pulled the pull-only view', async () => {
    const help = (await aaawatch(['accounts', '--help'])).stdout;
    for (const option of ['--device', '--devices', '--group', '--platform', '--account', '--roster', '--source', '--state', '--type', '--findings', '--severity', '--from', '--to', '--sort', '--reverse', '--csv', '--json', '--pulled', '--removed', '--history']) {
      expect(help).toContain(option);
    }
    expect(help).toContain('the population');
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

  it('lease times out of range are named with their line and the range', async () => {
    const file = configFile('leases.yaml', ['collector: site-a', 'store:', '  pullLeaseSeconds: 0', '  leaderLeaseSeconds: 7200', ''].join('\n'));
    const r = await aaawatch(['check', '--config', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}:3: store.pullLeaseSeconds: must be at least 1 second`);
    expect(r.stderr).toContain(`${file}:4: store.leaderLeaseSeconds: must be at most 3600 seconds (an hour)`);
  });

  it('RadSec turned on without its CA, or with a certificate file that is not there, is named with its line', async () => {
    const file = configFile('radsec.yaml', ['ingest:', '  radius:', '    tls:', '      enabled: true', '      cert: /nowhere/radsec.pem', '      key: /nowhere/radsec.key', ''].join('\n'));
    const r = await aaawatch(['check', '--config', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}:5: ingest.radius.tls.cert: RadSec needs cert, key and ca`);
    const missing = configFile('radsec-missing.yaml', ['ingest:', '  radius:', '    tls:', '      cert: /nowhere/radsec.pem', '      key: /nowhere/radsec.key', '      ca: /nowhere/ca.pem', ''].join('\n'));
    const m = await aaawatch(['check', '--config', missing]);
    expect(m.code).toBe(2);
    expect(m.stderr).toContain(`${missing}:4: ingest.radius.tls.cert: file not found: /nowhere/radsec.pem`);
    expect(m.stderr).toContain(`${missing}:6: ingest.radius.tls.ca: file not found: /nowhere/ca.pem`);
  });

  it('every file the configuration names that is not there is named by its own line and key: roster (one or a list), inventory, credentials, web and alert certificates', async () => {
    const file = configFile(
      'files-missing.yaml',
      [
        'pull:',
        '  inventory: /nowhere/devices.yaml',
        '  credentialsFile: /nowhere/credentials.yaml',
        'reconcile:',
        '  roster:',
        '    - /nowhere/roster.csv',
        '    - /nowhere/admins.yaml',
        '  alerts:',
        '    syslog:',
        '      - host: siem.example.net',
        '        transport: tls',
        '        ca: /nowhere/siem-ca.pem',
        'web:',
        '  tls:',
        '    cert: /nowhere/web.pem',
        '    key: /nowhere/web.key',
        '',
      ].join('\n'),
    );
    const r = await aaawatch(['check', '--config', file]);
    expect(r.code).toBe(2);
    for (const [line, key, path] of [
      [2, 'pull.inventory', '/nowhere/devices.yaml'],
      [3, 'pull.credentialsFile', '/nowhere/credentials.yaml'],
      [6, 'reconcile.roster[0]', '/nowhere/roster.csv'],
      [7, 'reconcile.roster[1]', '/nowhere/admins.yaml'],
      [12, 'reconcile.alerts.syslog[0].ca', '/nowhere/siem-ca.pem'],
      [15, 'web.tls.cert', '/nowhere/web.pem'],
      [16, 'web.tls.key', '/nowhere/web.key'],
    ] as const) {
      expect(r.stderr).toContain(`${file}:${line}: ${key}: file not found: ${path}`);
    }
    const one = configFile('roster-missing.yaml', ['reconcile:', '  roster: /nowhere/roster.csv', ''].join('\n'));
    const o = await aaawatch(['check', '--config', one]);
    expect(o.code).toBe(2);
    expect(o.stderr).toContain(`${one}:2: reconcile.roster: file not found: /nowhere/roster.csv`);
  });

  it('names the line of the key itself, nested maps included, and what a misspelt key nearly spells', async () => {
    const file = configFile(
      'misspelt.yaml',
      [
        'ingest:', //                   1
        '  udp:', //                    2
        '    prot: 5514', //            3
        '  bogus:', //                  4
        '    nested: 1', //             5
        'stroe:', //                    6
        '  path: /nowhere/x.db', //     7
        'devices:', //                  8
        '  - name: core-sw1', //        9
        '    adress: 10.0.0.1', //      10
        '    platform: cisco-ios', //   11
        '    pull: false', //           12
        'pull:', //                     13
        '  timeouts:', //               14
        '    idleTimeout: 5', //        15
        '',
      ].join('\n'),
    );
    const r = await aaawatch(['check', '--config', file]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      'aaawatch: configuration error',
      `${file}:3: ingest.udp.prot: unknown key prot (did you mean port?)`,
      `${file}:4: ingest.bogus: unknown key bogus`,
      `${file}:6: stroe: unknown key stroe (did you mean store?)`,
      // The missing `address` is not reported again: the misspelling says it.
      `${file}:10: devices[0].adress: unknown key adress (did you mean address?)`,
      `${file}:15: pull.timeouts.idleTimeout: unknown key idleTimeout`,
    ]);
  });

  it('names the line of an unknown key in a roster and a CSV column nearly spelt', async () => {
    const roster = configFile('roster.yaml', ['accounts:', '  - name: alice', '    devices: ["*"]', '    privilege: 15', '    type: human', '    approvel:', '      ticket: CHG-1', ''].join('\n'));
    const inventory = configFile('devices.csv', 'name,adress,platform\ncore-sw1,10.0.0.1,cisco-ios\n');
    const file = configFile('withfiles.yaml', `reconcile:\n  roster: ${roster}\npull:\n  inventory: ${inventory}\n`);
    const r = await aaawatch(['check', '--config', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`${inventory}:1: unknown column adress \\(did you mean address\\? columns: `));
    const onlyRoster = configFile('rosteronly.yaml', `reconcile:\n  roster: ${roster}\n`);
    const r2 = await aaawatch(['check', '--config', onlyRoster]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(new RegExp(`${roster}:6: accounts\\[0\\]\\.approvel: unknown key approvel \\(did you mean approval\\?\\)`));
  });

  it('warns of a roster name that looks like a pattern (names are literal), naming file, line and key; still OK', async () => {
    const roster = configFile('patterns.yaml', [
      'administrators: [jdoe, "ops-*"]', 'accounts:', '  - name: alice', '    devices: ["*"]', '    privilege: 1', '    type: human',
      '  - name: "svc-*"', '    devices: ["*"]', '    privilege: 1', '    type: service', '  - name: "^root"', '    devices: ["*"]', '    privilege: 15', '    type: human',
      '  - name: "WS01$"', '    devices: ["*"]', '    privilege: 1', '    type: service', '',
    ].join('\n'));
    const csv = configFile('patterns.csv', 'name,devices,privilege,type\nbob,*,1,human\nadmin[0-9],*,1,human\n');
    const file = configFile('patterns-config.yaml', `reconcile:\n  roster: [${roster}, ${csv}]\n`);
    const r = await aaawatch(['check', '--config', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('OK');
    expect(r.stderr.trim().split('\n').sort()).toEqual([
      `aaawatch: warning: ${csv}:3: name: "admin[0-9]" holds [ ]: roster names are literal (no wildcards or patterns), so it matches only an account named exactly that`,
      `aaawatch: warning: ${roster}:1: administrators[1]: "ops-*" holds *: roster names are literal (no wildcards or patterns), so it matches only an account named exactly that`,
      `aaawatch: warning: ${roster}:7: accounts[1].name: "svc-*" holds *: roster names are literal (no wildcards or patterns), so it matches only an account named exactly that`,
      `aaawatch: warning: ${roster}:11: accounts[2].name: "^root" holds ^: roster names are literal (no wildcards or patterns), so it matches only an account named exactly that`,
    ].sort());
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
    expect(r.stderr).toMatch(new RegExp(`${file}:6: devices\\[0\\]\\.platform: unknown platform "cisco-ioz" \\(did you mean cisco-ios\\? known: .*cisco-ios`));
    expect(r.stderr).toContain(`${file}:7: devices[1].name: duplicate of devices[0].name`);
    expect(r.stderr).toContain(`${file}:3: ingest.tls.cert: file not found`);
  });

  it('a RADIUS proxy is a yes/no next to its secret, and only RADIUS has one (TACACS+ packets name no NAS)', async () => {
    const file = configFile('proxy.yaml', 'ingest:\n  radius:\n    secrets:\n      - sources: [10.0.0.100]\n        secret: { env: AAAWATCH_RADIUS }\n        proxy: sometimes\n  tacacs:\n    keys:\n      - sources: [10.0.0.100]\n        key: { env: AAAWATCH_RADIUS }\n        proxy: true\n');
    const r = await aaawatch(['check', '--config', file], undefined, { AAAWATCH_RADIUS: 's' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}:6: ingest.radius.secrets[0].proxy: Invalid input: expected boolean, received string`);
    expect(r.stderr).toContain(`${file}:11: ingest.tacacs.keys[0].proxy: unknown key proxy`);
    const good = configFile('proxy-good.yaml', 'ingest:\n  radius:\n    secrets:\n      - sources: [10.0.0.100]\n        secret: { env: AAAWATCH_RADIUS }\n        proxy: true\n');
    const ok = await aaawatch(['check', '--config', good], undefined, { AAAWATCH_RADIUS: 's' });
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
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
    // A key is bound to addresses: a device known by a host name needs the addresses it sends from.
    const named = configFile('host-name.yaml', 'ingest:\n  tacacs:\n    keys:\n      - devices: [edge1]\n        key: { env: AAAWATCH_TACACS }\ndevices:\n  - name: edge1\n    address: edge1.example.net\n    platform: cisco-ios\n    pull: false\n');
    const r4 = await aaawatch(['check', '--config', named], undefined, { AAAWATCH_TACACS: 's' });
    expect(r4.code).toBe(2);
    expect(r4.stderr).toContain(`${named}:4: ingest.tacacs.keys[0].devices[0]: edge1's address edge1.example.net is a host name`);
    const good = configFile('native.yaml', 'ingest:\n  tacacs:\n    keys:\n      - sources: [10.0.0.0/8, 2001:db8::/32]\n        key: { env: AAAWATCH_TACACS }\n');
    const unset = await aaawatch(['check', '--config', good]);
    expect(unset.code).toBe(2);
    expect(unset.stderr).toContain('ingest.tacacs.keys[0].key: environment variable AAAWATCH_TACACS is not set');
    // All three given, and TACACS+ on without keys (cert alone, or TLS without TACACS+, is refused
    // before its files are looked for).
    const tlsFiles = configFile('tacacs-tls.yaml', `ingest:\n  tacacs:\n    tls:\n      cert: ${join(dir, 'no-cert.pem')}\n      key: ${join(dir, 'no-key.pem')}\n      ca: ${join(dir, 'no-ca.pem')}\n    enabled: true\n`);
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

  it('a secret by reference that cannot be read is named by file, line and key, in the configuration and the credentials file', async () => {
    const refs = configFile(
      'refs.yaml',
      [
        'ingest:',
        '  tacacs:',
        '    keys:',
        '      - sources: [10.0.0.0/8]',
        '        key: { env: AAAWATCH_TEST_UNSET_KEY }',
        '  radius:',
        '    secrets:',
        '      - sources: [::ffff:192.0.2.0/120]',
        `        secret: { file: ${join(dir, 'no such secret')} }`,
        'pull:',
        '  credentials:',
        '    default:',
        '      username: admin',
        '      password:',
        '        env: AAAWATCH_TEST_UNSET_PASSWORD',
        '',
      ].join('\n'),
    );
    const r = await aaawatch(['check', '--config', refs]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${refs}:5: ingest.tacacs.keys[0].key: environment variable AAAWATCH_TEST_UNSET_KEY is not set`);
    expect(r.stderr).toContain(`${refs}:9: ingest.radius.secrets[0].secret: cannot read ${join(dir, 'no such secret')}: ENOENT`);
    expect(r.stderr).toContain(`${refs}:14: pull.credentials.default.password: environment variable AAAWATCH_TEST_UNSET_PASSWORD is not set`);
    const credentials = configFile('credentials.yaml', 'default:\n  username: admin\n  password: { env: AAAWATCH_TEST_UNSET_PASSWORD }\n');
    chmodSync(credentials, 0o600);
    const withFile = configFile('with-credentials.yaml', `pull:\n  credentialsFile: ${credentials}\n`);
    const c = await aaawatch(['check', '--config', withFile]);
    expect(c.code).toBe(2);
    expect(c.stderr).toContain(`${credentials}:3: default.password: environment variable AAAWATCH_TEST_UNSET_PASSWORD is not set`);
  });

  it('a duplicate key is named by its path and both lines, in block and flow maps and list items', async () => {
    const file = configFile('duplicate.yaml', ['ingest:', '  udp:', '    port: 5514', '    port: 5515', '  tcp: { port: 1, port: 2 }', 'devices:', '  - name: a', '    name: b', ''].join('\n'));
    const r = await aaawatch(['check', '--config', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}:4: ingest.udp.port: duplicate key (first on line 3)`);
    expect(r.stderr).toContain(`${file}:5: ingest.tcp.port: duplicate key\n`);
    expect(r.stderr).toContain(`${file}:8: devices[0].name: duplicate key (first on line 7)`);
  });

  it('a second YAML document is named by its line, in the words of the file', async () => {
    const file = configFile('two-documents.yaml', 'store:\n  retentionDays: 30\n---\nstore: {}\n');
    const r = await aaawatch(['check', '--config', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}:3: a second YAML document (---): the file holds one`);
  });

  it('a missing file is a clear error', async () => {
    const r = await aaawatch(['check', '--config', join(dir, 'nope.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nope.yaml: cannot read: ENOENT');
  });
});

describe('exit status: 0 ok, 1 runtime failure, 2 usage or configuration error', () => {
  it.each([
    [['--help'], 0],
    [['--version'], 0],
    [['stats', '--help'], 0],
    [[], 2],
    [['bogus'], 2],
    [['stats', '--no-such-option'], 2],
    [['stats', '--hours'], 2],
    [['stats', '--hours', 'soon'], 2],
    [['findings', '--status', 'sleeping'], 2],
    [['pull'], 2],
    [['check', '--config', '/nonexistent/aaawatch.yaml'], 2],
  ])('aaawatch %j exits %i', async (args, code) => {
    const r = await aaawatch(args);
    expect(r.code, r.stderr).toBe(code);
    if (code === 2) expect(r.stderr).not.toBe('');
  });

  it('a runtime failure exits 1: a database that is not there', async () => {
    const file = configFile('runtime.yaml', `store:\n  path: ${join(dir, 'absent.db')}\n`);
    const r = await aaawatch(['stats', '--config', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no database at');
  });

  it('a wrong option value names the option and points to --help', async () => {
    const r = await aaawatch(['findings', '--status', 'sleeping']);
    expect(r.stderr).toContain('--status: unknown status sleeping');
    expect(r.stderr).toContain('see aaawatch findings --help');
  });

  it('a usage error in a sub-command points to that sub-command\'s help, not its group\'s', async () => {
    const file = configFile('usage.yaml', `store:\n  path: ${join(dir, 'usage.db')}\n`);
    const add = await aaawatch(['user', 'add', 'bad name!', '--role', 'admin', '--config', file]);
    expect(add.code).toBe(2);
    expect(add.stderr).toMatch(/\(see aaawatch user add --help\)\n$/);
    const top = await aaawatch(['import', '-', '--collector', 'site-a', '--config', file]);
    expect(top.code).toBe(2);
    expect(top.stderr).toMatch(/\(see aaawatch import --help\)\n$/);
  });

  it('every command\'s --help ends with the table', async () => {
    for (const args of [[], ['check'], ['import'], ['pull'], ['user', 'add']]) {
      const r = await aaawatch([...args, '--help']);
      expect(r.stdout).toMatch(/Exit status:\n {2}0 {2}success\n {2}1 {2}runtime failure[^]*\n {2}2 {2}usage or configuration error/);
    }
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

  it('prints what a terminal acts on or draws as nothing as JSON escapes: C1\'s CSI, tag characters and a soft hyphen in a name', async () => {
    const name = 'ad\u00admin\u{e0041}\u009b2J';
    const line = `<86>Nov 21 22:10:01 linux-host1 useradd[4242]: new user: name=${name}, UID=0, GID=0, home=/root, shell=/bin/bash, from=/dev/pts/0`;
    const r = await aaawatch(['parse', '--received-at', '2026-11-21T23:00:00Z'], line);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/[\u007f-\u009f\p{Cf}\p{Default_Ignorable_Code_Point}]/u);
    const out = JSON.parse(r.stdout) as { records: Array<{ target: string }> };
    expect(out.records.map((x) => x.target)).toEqual([name]);
  });

  it('removes secrets from structured data too', async () => {
    const line = '<13>1 2026-11-21T22:10:01Z r1 app - CMD [cmd@32473 text="snmp-server community SdSecret1 RO" user="bob"] done';
    const r = await aaawatch(['parse', '--received-at', '2026-11-21T23:00:00Z'], line);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('SdSecret1');
    const out = JSON.parse(r.stdout) as { header: { sd: unknown } };
    expect(JSON.stringify(out.header.sd)).toContain('snmp-server community <redacted> RO');
  });
});

describe('aaawatch serve, then stats, unknowns and verify', () => {
  let stopAfter: Watched | undefined;
  afterAll(async () => {
    await stopAfter?.stop();
  });

  it('receives from logger over UDP and TCP, stores, counts, and its chain verifies', async (ctx) => {
    toolOrSkip(ctx, 'logger');
    const port = await freePort();
    const db = join(dir, 'serve.db');
    const file = configFile(
      'serve.yaml',
      `ingest:\n  udp: { host: 127.0.0.1, port: ${port} }\n  tcp: { host: 127.0.0.1, port: ${port} }\nstore:\n  path: ${db}\nweb: { enabled: false }\n`,
    );
    const serve = watch(spawn(process.execPath, [CLI, 'serve', '--config', file]));
    stopAfter = serve;
    await serve.said('syslog TCP listening');
    expect(serve.output()).toContain(`syslog UDP listening on 127.0.0.1:${port}`);

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
    // Stop it once all three are stored (the counters are written with each batch).
    const counted = async (): Promise<Record<string, number>> =>
      (JSON.parse((await aaawatch(['stats', '--json', '--config', file])).stdout) as { counters: Record<string, number> }).counters;
    for (let c = await counted(); (c['received.udp'] ?? 0) < 1 || (c['received.tcp'] ?? 0) < 2; c = await counted());
    expect(await serve.stop()).toBe(0);

    const stats = JSON.parse((await aaawatch(['stats', '--json', '--config', file])).stdout) as { counters: Record<string, number> };
    expect(stats.counters).toMatchObject({ 'received.udp': 1, 'received.tcp': 2, 'recognised.messages': 1, 'recognised.records': 2 });
    const verify = await aaawatch(['verify', '--config', file]);
    expect(verify.stdout).toMatch(/^chain OK: 2 records/);
    expect(verify.code).toBe(0);
    const bytes = [db, `${db}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f).toString('latin1')).join('');
    expect(bytes).toContain('username eve privilege 15 secret 0 <redacted>');
    expect(bytes).not.toContain('Hunter22');
  });

  it('stats and unknowns print what a sender chose (a program tag, an unknown line) as text: no escape reaches the terminal, no line is forged', async (ctx) => {
    toolOrSkip(ctx, 'logger');
    const port = await freePort();
    const file = configFile('hostile.yaml', `ingest:\n  udp: { host: 127.0.0.1, port: ${port} }\n  tcp: { host: 127.0.0.1, port: ${port} }\nstore:\n  path: ${join(dir, 'hostile.db')}\nweb: { enabled: false }\n`);
    const serve = watch(spawn(process.execPath, [CLI, 'serve', '--config', file]));
    try {
      await serve.said('syslog TCP listening');
      // A tag that turns the terminal's text red and clears its screen, as logger sends it.
      await exec('logger', ['-T', '-n', '127.0.0.1', '-P', String(port), '--octet-count', '--rfc5424', '-t', 'prog\u001b[31m\u001b[2J', 'routine']);
      // An IOS line of a form nobody knows (an unknown), octet-counted over TCP as a device sends it, whose text
      // moves the cursor up, erases the line, retitles the window and carries a whole forged unknowns row.
      const line = '<189>83: r3: *Dec  8 00:05:00.123 UTC: %SEC_LOGIN-5-ODDITY: by \u001b[1A\u001b[2K\u001b]0;owned\u0007x\nr9\tcisco-ios:FORGED\t1\t2026-12-08T00:00:00.000Z\tforged';
      const { connect } = await import('node:net');
      await new Promise<void>((resolve) => {
        const s = connect(port, '127.0.0.1', () => s.end(`${Buffer.byteLength(line)} ${line}`));
        s.on('close', () => resolve());
      });
      const stored = async (): Promise<boolean> => {
        const c = (JSON.parse((await aaawatch(['stats', '--json', '--config', file])).stdout) as { counters: Record<string, number> }).counters;
        return (c['received.tcp'] ?? 0) >= 2 && (c['unknown.messages'] ?? 0) >= 1;
      };
      while (!(await stored()));
    } finally {
      expect(await serve.stop()).toBe(0);
    }
    /** What a terminal acts on: C0 controls but TAB and LF, DEL, C1. */
    const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
    const stats = await aaawatch(['stats', '--config', file]);
    expect(stats.stdout).not.toMatch(RAW);
    expect(stats.stdout).toMatch(/^\S+ +prog\\u\{1b\}\[31m\\u\{1b\}\[2J +1 +0$/m);
    const unknowns = await aaawatch(['unknowns', '--config', file]);
    expect(unknowns.stdout).not.toMatch(RAW);
    // One row, its five cells whole: the TABs and the line feed inside the device's text are shown, not acted on.
    const rows = unknowns.stdout.trimEnd().split('\n').map((r) => r.split('\t'));
    expect(rows.map((r) => [r.length, r[0], r[1], r[2]])).toEqual([[5, 'r3', 'cisco-ios:SEC_LOGIN-5-ODDITY', '1']]);
    expect(rows[0]![4]).toContain('by \\u{1b}[1A\\u{1b}[2K\\u{1b}]0;owned\\u{7}x\\u{a}r9\\u{9}cisco-ios:FORGED');
  });

  it('verify on a database that does not exist says so', async () => {
    const file = configFile('nodb.yaml', `store:\n  path: ${join(dir, 'none.db')}\n`);
    const r = await aaawatch(['verify', '--config', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no database at');
  });
});
