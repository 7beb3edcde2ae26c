// Mistakes someone writing a configuration plausibly makes, each ending in a message naming the
// file, the line and the key with what was expected, never a stack trace, a default taken in
// silence, or a start that half works (probe-configfile, 2026-12-07). Through the real loader, and
// `serve` itself where the loader alone would not show what serve does.

import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { platforms } from '../../parsers/index.js';
import { pullSchema, type PullConfig } from '../../src/config/inventory.js';
import { ConfigError, loadConfig, parseConfig } from '../../src/config/load.js';
import { inventory } from '../../src/pull/inventory-file.js';
import { aaawatch } from '../support/process.js';
import { tempDir } from '../support/temp.js';

const dir = tempDir('aaawatch-config-mistakes-');
const write = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

/** The problems `f` is refused with (fails the test if it is accepted, or fails otherwise). */
function problemsOf(f: () => unknown): string[] {
  try {
    f();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('accepted');
}

const pullOf = (inventoryFile: string): PullConfig => pullSchema.parse({ inventory: inventoryFile });

/** The problems a configuration's text is refused with. */
const refused = (text: string, file = 'aaawatch.yaml'): string[] => problemsOf(() => parseConfig(text, file, platforms));

async function refusedFile(path: string): Promise<string[]> {
  try {
    await loadConfig(path, { secrets: true });
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('accepted');
}

/** A real certificate and key (openssl), as an operator's files would be. */
function selfSigned(): { cert: string; key: string } {
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'k.pem', '-out', 'c.pem', '-days', '2', '-subj', '/CN=localhost'], { cwd: dir, stdio: 'pipe' });
  return { cert: join(dir, 'c.pem'), key: join(dir, 'k.pem') };
}

describe('YAML itself', () => {
  it('an alias bomb is the file’s mistake at its first alias, not an uncaught error of the YAML library', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 10; i++) lines.push(`a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]`);
    const problems = refused(lines.join('\n') + '\n');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^aaawatch\.yaml:2: aliases \(\*name\) expand past what a configuration holds \(.*\): write the values out$/);
  });

  it('a few aliases still read as their values, a merge key (<<) too', () => {
    const config = parseConfig(['ingest:', '  tcp: &limits', '    maxConnections: 400', '  relp:', '    <<: *limits', '    enabled: true', '  allow: &nets [10.0.0.0/8]', 'web:', '  trustedProxies: *nets', ''].join('\n'), 'a.yaml', platforms);
    expect(config.ingest.relp.maxConnections).toBe(400);
    expect(config.web.trustedProxies).toEqual(['10.0.0.0/8']);
  });
});

describe('the file itself', () => {
  it('an empty file given (or one of comments only) is refused, not run on the embedded defaults as if configured', async () => {
    const empty = write('empty.yaml', '');
    const comments = write('comments.yaml', '# filled in by the deployment\n\n');
    expect(await refusedFile(empty)).toEqual([`${empty}: the file is empty (or only comments): give the configuration in it, or no --config for the embedded defaults`]);
    expect(await refusedFile(comments)).toEqual([`${comments}: the file is empty (or only comments): give the configuration in it, or no --config for the embedded defaults`]);
    // An explicit empty map says "the defaults" on purpose.
    expect((await loadConfig(write('braces.yaml', '{}\n'))).ingest.udp.port).toBe(5514);
  });
});

describe('addresses', () => {
  it('a listener host that is no address and no host name is named by its line, not met at bind as getaddrinfo ENOTFOUND', () => {
    expect(refused(['ingest:', '  udp:', '    host: 300.1.1.1', '  relp:', '    host: not an address', 'web:', '  host: 10.0.0.1.5', '  allowPlainHttp: true', ''].join('\n'))).toEqual([
      'aaawatch.yaml:3: ingest.udp.host: must be an address of this machine to listen on, like :: (every address), 0.0.0.0, 192.0.2.10 or localhost',
      'aaawatch.yaml:5: ingest.relp.host: must be an address of this machine to listen on, like :: (every address), 0.0.0.0, 192.0.2.10 or localhost',
      'aaawatch.yaml:7: web.host: must be an address of this machine to listen on, like :: (every address), 0.0.0.0, 192.0.2.10 or localhost',
    ]);
    const config = parseConfig(['ingest:', '  udp: { host: "0.0.0.0" }', '  tcp: { host: "fe80::1%lo" }', 'web:', '  host: localhost', ''].join('\n'), 'a.yaml', platforms);
    expect([config.ingest.udp.host, config.ingest.tcp.host, config.web.host]).toEqual(['0.0.0.0', 'fe80::1%lo', 'localhost']);
  });

  it('a mistyped IPv4 address is not taken for a host name (its last label all digits)', () => {
    const problems = refused(['devices:', '  - { name: sw1, address: 10.0.0.256, platform: cisco-ios, pull: false }', '  - { name: sw2, address: 192.168.1, platform: cisco-ios, pull: false }', ''].join('\n'));
    expect(problems.map((p) => p.split(': must be')[0])).toEqual(['aaawatch.yaml:2: devices[0].address', 'aaawatch.yaml:3: devices[1].address']);
    const ok = parseConfig('devices:\n  - { name: sw1, address: sw1.example.net, platform: cisco-ios, pull: false }\n  - { name: sw2, address: 4ever-sw2, platform: cisco-ios, pull: false }\n', 'a.yaml', platforms);
    expect(ok.devices.map((d) => d.address)).toEqual(['sw1.example.net', '4ever-sw2']);
  });
});

describe('listeners and devices that collide', () => {
  it('two of serve’s listeners on one port are named at the second, not met as EADDRINUSE naming neither', () => {
    // web on 4949 beside it: TACACS+ is off (no keys), so its port is free.
    expect(refused(['ingest:', '  tcp:', '    port: 2514', '  relp:', '    enabled: true', 'web:', '  port: 4949', ''].join('\n'))).toEqual([
      "aaawatch.yaml:4: ingest.relp.port: TCP port 2514 is also ingest.tcp's: two listeners cannot share it",
    ]);
    const tacacs = ['ingest:', '  tacacs:', '    keys: [{ sources: [10.0.0.0/8], key: { env: TACACS_KEY } }]', 'web:', '  port: 4949', ''].join('\n');
    expect(refused(tacacs)).toEqual(["aaawatch.yaml:5: web.port: TCP port 4949 is also ingest.tacacs's: two listeners cannot share it"]);
    // UDP and TCP syslog share 5514 by default; a listener that is off holds no port.
    expect(parseConfig(['ingest:', '  relp:', '    port: 5514', 'web:', '  enabled: false', '  port: 5514', ''].join('\n'), 'a.yaml', platforms).ingest.relp.port).toBe(5514);
  });

  it('one device listed twice under two names (one address, one port) is named at the second', () => {
    expect(refused(['devices:', '  - { name: core-sw1, address: 10.0.0.1, platform: cisco-ios, pull: false }', '  - { name: core-sw1.example.net, address: 10.0.0.1, platform: cisco-ios, pull: false }', ''].join('\n'))).toEqual([
      "aaawatch.yaml:3: devices[1].address: 10.0.0.1 (port 22) is also devices[0].address (core-sw1): one device listed twice under two names? A name it logs under goes in logNames, an address another device sends from in that one's senders",
    ]);
    // A console server's ports: one address, two boxes.
    const config = parseConfig(['devices:', '  - { name: a, address: 10.0.0.1, port: 2201, platform: cisco-ios, pull: false }', '  - { name: b, address: 10.0.0.1, port: 2202, platform: cisco-ios, pull: false }', ''].join('\n'), 'a.yaml', platforms);
    expect(config.devices).toHaveLength(2);
  });
});

describe('inventory files', () => {
  it('a device given twice in an inventory file, by name or by address and port, is named at its line', () => {
    const csv = write('devices.csv', ['name,address,platform,pull', 'sw1,10.0.0.1,cisco-ios,false', 'SW1,10.0.0.2,cisco-ios,false', 'sw3,10.0.0.1,cisco-ios,false', ''].join('\n'));
    expect(problemsOf(() => inventory([], pullOf(csv)))).toEqual([
      `${csv}:3: name: duplicate of line 2's name`,
      `${csv}:4: address: 10.0.0.1 (port 22) is also line 2's address (sw1): one device listed twice under two names? A name it logs under goes in logNames, an address another device sends from in that one's senders`,
    ]);
    const yaml = write('devices.yaml', ['devices:', '  - { name: a, address: 10.0.0.1, platform: cisco-ios, pull: false }', '  - { name: A, address: 10.0.0.2, platform: cisco-ios, pull: false }', ''].join('\n'));
    expect(problemsOf(() => inventory([], pullOf(yaml)))).toEqual([`${yaml}:3: devices[1].name: duplicate of devices[0].name`]);
    // Across the configuration and the file: the file named.
    const other = write('other.yaml', '- { name: core, address: 10.0.0.5, platform: cisco-ios, pull: false }\n');
    const core = { name: 'Core', address: '10.0.0.6', platform: 'cisco-ios', groups: [], port: 22, pull: false };
    expect(problemsOf(() => inventory([core], pullOf(other)))).toEqual([`${other}: device core is defined twice: in the configuration's devices and in this file`]);
  });
});

describe('TLS listeners given some of their files', () => {
  it('a certificate without its key is named, where the listener stayed off in silence', () => {
    expect(refused(['ingest:', '  tls:', '    cert: /etc/aaawatch/tls.pem', ''].join('\n'))).toEqual([
      'aaawatch.yaml:3: ingest.tls.cert: syslog over TLS needs cert and key: key is missing (or enabled: false to keep syslog over TLS off)',
    ]);
    expect(refused(['ingest:', '  tacacs:', '    tls:', '      ca: /etc/aaawatch/ca.pem', ''].join('\n'))).toEqual([
      'aaawatch.yaml:4: ingest.tacacs.tls.ca: TACACS+ over TLS needs cert, key and ca: cert and key are missing (or enabled: false to keep TACACS+ over TLS off)',
    ]);
    expect(refused(['ingest:', '  radius:', '    tls:', '      enabled: true', ''].join('\n'))).toEqual([
      'aaawatch.yaml:4: ingest.radius.tls.enabled: RadSec needs cert, key and ca: cert, key and ca are missing',
    ]);
  });

  it('TACACS+ over TLS set up without keys is named: it starts with TACACS+, which starts on keys', () => {
    const { cert, key } = selfSigned();
    const tls = ['ingest:', '  tacacs:', '    tls:', `      cert: ${cert}`, `      key: ${key}`, `      ca: ${cert}`, ''];
    expect(refused(tls.join('\n'))).toEqual(['aaawatch.yaml:3: ingest.tacacs.tls: TACACS+ over TLS starts with TACACS+, which has no keys here: set ingest.tacacs.enabled: true']);
    expect(parseConfig([...tls.slice(0, 2), '    enabled: true', ...tls.slice(2)].join('\n'), 'a.yaml', platforms).ingest.tacacs.enabled).toBe(true);
  });

  it('enabled: false keeps one off whatever it is given', () => {
    const config = parseConfig(['ingest:', '  tls:', '    enabled: false', `    cert: ${selfSigned().cert}`, ''].join('\n'), 'a.yaml', platforms);
    expect(config.ingest.tls.enabled).toBe(false);
  });
});

describe('files the configuration names', () => {
  it('a certificate or key that is not PEM, the two swapped, or a directory is named by its key’s line', async () => {
    const { cert, key } = selfSigned();
    const der = write('c.der', execFileSync('openssl', ['x509', '-in', cert, '-outform', 'DER']).toString('latin1'));
    mkdirSync(join(dir, 'certs'), { recursive: true });
    const file = write('pem.yaml', [
      'ingest:', //                                      1
      '  tls:', //                                       2
      `    cert: ${key}`, //                             3
      `    key: ${cert}`, //                             4
      '  relp:', //                                      5
      '    tls:', //                                     6
      `      cert: ${der}`, //                           7
      `      key: ${key}`, //                            8
      `      ca: ${join(dir, 'certs')}`, //              9
      'web:', //                                         10
      '  tls:', //                                       11
      `    cert: ${cert}`, //                            12
      `    key: ${key}`, //                              13
      '',
    ].join('\n'));
    expect(await refusedFile(file)).toEqual([
      `${file}:3: ingest.tls.cert: ${key} holds no certificate (-----BEGIN CERTIFICATE-----): a PEM file is wanted (this one holds a private key: cert and key swapped?)`,
      `${file}:4: ingest.tls.key: ${cert} holds no private key (-----BEGIN … PRIVATE KEY-----): a PEM file is wanted`,
      `${file}:7: ingest.relp.tls.cert: ${der} holds no certificate (-----BEGIN CERTIFICATE-----): a PEM file is wanted`,
      `${file}:9: ingest.relp.tls.ca: ${join(dir, 'certs')} is a directory, not a file`,
    ]);
  });
});

describe('secrets', () => {
  it('a secret written where only a reference may go says what a reference is', () => {
    expect(refused(['pull:', '  credentials:', '    default: { username: backup, password: hunter2 }', ''].join('\n'))).toEqual([
      'aaawatch.yaml:3: pull.credentials.default.password: a secret here is given by reference, never written in this file: { env: VARIABLE } or { file: /path/to/secret }',
    ]);
  });

  it('a secret file that is empty is named by its line (it was said at use by key alone, or not at all for a password)', async () => {
    const empty = write('empty.secret', '');
    const file = write('empty-secret.yaml', [
      'devices:',
      '  - { name: sw1, address: 10.0.0.1, platform: cisco-ios }',
      'pull:',
      '  credentials:',
      `    default: { username: backup, password: { file: ${empty} } }`,
      'ingest:',
      '  radius:',
      '    secrets:',
      `      - { devices: [sw1], secret: { file: ${empty} } }`,
      '',
    ].join('\n'));
    expect(await refusedFile(file)).toEqual([`${file}:5: pull.credentials.default.password: ${empty} is empty`, `${file}:9: ingest.radius.secrets[0].secret: ${empty} is empty`]);
  });

  it('serve reads every secret at start and names one missing by file and line, before it listens', async () => {
    const file = write('serve-secret.yaml', [
      'store:',
      `  path: ${join(dir, 'serve.db')}`,
      'web: { enabled: false }',
      'ingest: { udp: { enabled: false }, tcp: { enabled: false } }',
      'devices:',
      '  - { name: sw1, address: 10.0.0.1, platform: cisco-ios }',
      'pull:',
      '  credentials:',
      '    default: { username: backup, password: { env: AAAWATCH_TEST_UNSET_PASSWORD } }',
      '    other: { username: backup, password: { env: AAAWATCH_TEST_EMPTY_PASSWORD } }',
      '',
    ].join('\n'));
    const r = await aaawatch(['serve', '--config', file], { AAAWATCH_TEST_EMPTY_PASSWORD: '' });
    expect(r.code).toBe(2);
    expect(r.stdout).not.toContain('listening');
    expect(r.stderr.trim().split('\n')).toEqual([
      'aaawatch: configuration error',
      `${file}:9: pull.credentials.default.password: environment variable AAAWATCH_TEST_UNSET_PASSWORD is not set`,
      `${file}:10: pull.credentials.other.password: environment variable AAAWATCH_TEST_EMPTY_PASSWORD is set but empty`,
    ]);
  });
});

describe('store.url', () => {
  it('a PostgreSQL URL that cannot be parsed is named by its line, without the password it holds', async () => {
    const problems = refused(['collector: site-a', 'store:', '  url: "postgres://aaawatch:pa ss@db.example.net:99999/aaawatch"', ''].join('\n'));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^aaawatch\.yaml:3: store\.url: is not a URL that can be parsed .*its port is 1-65535.*%20/);
    expect(refused(['collector: site-a', 'store:', '  url: "postgres://aaawatch:100%@db.example.net/aaawatch"', ''].join('\n'))).toEqual([
      'aaawatch.yaml:3: store.url: has a % in its user name or password that is not an escape: a % itself is written %25',
    ]);
    for (const p of problems) expect(p).not.toContain('pa ss');
    const secretFile = write('pg.url', 'postgres://aaawatch:s3cret@db.example.net:0/aaawatch\n');
    const file = write('pg.yaml', ['collector: site-a', 'store:', `  url: { file: ${secretFile} }`, ''].join('\n'));
    const fromFile = await refusedFile(file);
    expect(fromFile).toEqual([`${file}:3: store.url: the URL in ${secretFile} has port 0: the port is 1-65535`]);
    expect(parseConfig('collector: a\nstore:\n  url: "postgresql://aaawatch:p%40ss@[2001:db8::5]:5433/aaawatch?sslmode=verify-full"\n', 'a.yaml', platforms).store.url).toBeDefined();
  });
});
