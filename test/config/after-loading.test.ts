// Mistakes found once the configuration has loaded, through the real command line (probe-config2,
// 2026-12-07): a port serve cannot have, a secret unset when a command reads it, an inventory
// file's unknown platform. Each names the file, the line and the key, exits 2, and serve starts
// nothing before saying it.

import { execFileSync } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { existsSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { platforms } from '../../parsers/index.js';
import { bindFailure } from '../../src/config/listeners.js';
import { configProblems, parseConfig } from '../../src/config/load.js';
import { CONFIG_FILE_MAX_BYTES } from '../../src/config/read-file.js';
import { createLogger } from '../../src/log.js';
import { startWebThread } from '../../src/web/thread.js';
import { loadInventoryFile } from '../../src/pull/inventory-file.js';
import { aaawatch } from '../support/process.js';
import { tempDir } from '../support/temp.js';

const dir = tempDir('aaawatch-config-after-');
const write = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

/** A port another process holds, as a running syslog daemon or a second aaawatch would. */
const held: Array<Server | Socket> = [];
afterAll(async () => {
  await Promise.all(held.map((h) => new Promise<void>((resolve) => h.close(() => resolve()))));
});

function holdTcp(): Promise<number> {
  const server = createServer();
  held.push(server);
  return new Promise((resolve) => server.listen({ host: '::', port: 0 }, () => resolve((server.address() as AddressInfo).port)));
}

function holdUdp(): Promise<number> {
  const socket = createSocket({ type: 'udp6', ipv6Only: false });
  held.push(socket);
  return new Promise((resolve) => socket.bind(0, '::', () => resolve(socket.address().port)));
}

describe('a listener port serve cannot have', () => {
  it('each listener’s port another process holds is named by its key’s line, before the store is opened', async () => {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'k.pem', '-out', 'c.pem', '-days', '2', '-subj', '/CN=localhost'], { cwd: dir, stdio: 'pipe' });
    const [cert, key] = [join(dir, 'c.pem'), join(dir, 'k.pem')];
    const [udp, tcp, tls, relp, tacacs, tacacsTls, radius, radsec, web] = await Promise.all([holdUdp(), holdTcp(), holdTcp(), holdTcp(), holdTcp(), holdTcp(), holdUdp(), holdTcp(), holdTcp()]);
    const db = join(dir, 'ports.db');
    const file = write('ports.yaml', [
      'store:', //                                                                      1
      `  path: ${db}`, //                                                               2
      'ingest:', //                                                                     3
      `  udp: { port: ${udp} }`, //                                                     4
      `  tcp: { port: ${tcp} }`, //                                                     5
      `  tls: { port: ${tls}, cert: ${cert}, key: ${key} }`, //                          6
      `  relp: { enabled: true, port: ${relp} }`, //                                    7
      '  tacacs:', //                                                                   8
      `    port: ${tacacs}`, //                                                         9
      '    keys: [{ sources: [10.0.0.0/8], key: { env: AAAWATCH_TEST_KEY } }]', //      10
      `    tls: { port: ${tacacsTls}, cert: ${cert}, key: ${key}, ca: ${cert} }`, //   11
      '  radius:', //                                                                   12
      `    port: ${radius}`, //                                                         13
      '    secrets: [{ sources: [10.0.0.0/8], secret: { env: AAAWATCH_TEST_KEY } }]', // 14
      `    tls: { port: ${radsec}, cert: ${cert}, key: ${key}, ca: ${cert} }`, //      15
      'web:', //                                                                        16
      `  port: ${web}`, //                                                              17
      '',
    ].join('\n'));
    const r = await aaawatch(['serve', '--config', file], { AAAWATCH_TEST_KEY: 'testing123' });
    expect(r.stderr.trim().split('\n')).toEqual([
      'aaawatch: configuration error',
      `${file}:4: ingest.udp.port: UDP port ${udp} on :: is in use by another process (ss -lntup shows which): stop it, or choose another port`,
      `${file}:5: ingest.tcp.port: TCP port ${tcp} on :: is in use by another process (ss -lntup shows which): stop it, or choose another port`,
      `${file}:6: ingest.tls.port: TCP port ${tls} on :: is in use by another process (ss -lntup shows which): stop it, or choose another port`,
      `${file}:7: ingest.relp.port: TCP port ${relp} on :: is in use by another process (ss -lntup shows which): stop it, or choose another port`,
      `${file}:9: ingest.tacacs.port: TCP port ${tacacs} on :: is in use by another process (ss -lntup shows which): stop it, or choose another port`,
      `${file}:11: ingest.tacacs.tls.port: TCP port ${tacacsTls} on :: is in use by another process (ss -lntup shows which): stop it, or choose another port`,
      `${file}:13: ingest.radius.port: UDP port ${radius} on :: is in use by another process (ss -lntup shows which): stop it, or choose another port`,
      `${file}:15: ingest.radius.tls.port: TCP port ${radsec} on :: is in use by another process (ss -lntup shows which): stop it, or choose another port`,
      `${file}:17: web.port: TCP port ${web} on 127.0.0.1 is in use by another process (ss -lntup shows which): stop it, or choose another port`,
    ]);
    expect(r.code).toBe(2);
    // Nothing started: no store made (so no lock), nothing said as starting.
    expect(r.stdout).not.toContain('aaawatch starting');
    expect(existsSync(db)).toBe(false);
  });

  it('a listener host that is no address of this machine is named at its host key', async () => {
    const file = write('host.yaml', ['store:', `  path: ${join(dir, 'host.db')}`, 'web: { enabled: false }', 'ingest:', '  udp: { enabled: false }', '  tcp:', '    host: 192.0.2.10', '    port: 15514', ''].join('\n'));
    const r = await aaawatch(['serve', '--config', file]);
    expect(r.stderr.trim().split('\n')).toEqual(['aaawatch: configuration error', `${file}:7: ingest.tcp.host: 192.0.2.10 is not an address of this machine, so TCP port 15514 on 192.0.2.10 cannot be listened on`]);
    expect(r.code).toBe(2);
  });
});

describe('a secret unset when a command reads it', () => {
  it('pull names each credential secret it cannot read by file and line, as serve does (by key alone, by the secret file alone, or not at all when empty)', async () => {
    const [missing, empty] = [join(dir, 'missing.secret'), write('empty.secret', '')];
    const file = write('pull.yaml', [
      'store:',
      `  path: ${join(dir, 'pull.db')}`,
      'devices:',
      '  - { name: sw1, address: 10.0.0.1, platform: cisco-ios }',
      'pull:',
      '  credentials:',
      '    default:',
      '      username: backup',
      '      password: { env: AAAWATCH_TEST_UNSET_PASSWORD }',
      `    second: { username: backup, password: { file: ${missing} } }`,
      `    third: { username: backup, password: { file: ${empty} } }`,
      'ingest:',
      '  radius:',
      '    secrets: [{ sources: [10.0.0.0/8], secret: { env: AAAWATCH_TEST_UNSET_RADIUS } }]',
      '',
    ].join('\n'));
    const r = await aaawatch(['pull', 'sw1', '--config', file]);
    // The RADIUS secret is serve's to read, not pull's.
    expect(r.stderr.trim().split('\n')).toEqual([
      'aaawatch: configuration error',
      `${file}:9: pull.credentials.default.password: environment variable AAAWATCH_TEST_UNSET_PASSWORD is not set`,
      `${file}:10: pull.credentials.second.password: cannot read ${missing}: ENOENT`,
      `${file}:11: pull.credentials.third.password: ${empty} is empty`,
    ]);
    expect(r.code).toBe(2);
    // Nor are the credentials --status's: it reads the store alone.
    expect((await aaawatch(['pull', '--status', '--config', file])).code).toBe(0);
  });

  it('reconcile (and every command reading the store) names an unset store.url by file and line', async () => {
    const file = write('url.yaml', ['collector: site-a', 'store:', '  url: { env: AAAWATCH_TEST_UNSET_URL }', ''].join('\n'));
    for (const command of [['reconcile'], ['findings']]) {
      const r = await aaawatch([...command, '--config', file]);
      expect(r.stderr.trim().split('\n'), command[0]).toEqual(['aaawatch: configuration error', `${file}:3: store.url: environment variable AAAWATCH_TEST_UNSET_URL is not set`]);
      expect(r.code).toBe(2);
    }
  });
});

describe('an inventory file naming a platform aaawatch does not know', () => {
  it('is named at the inventory file’s line with the nearest known platforms, pulled or not (it passed, or was named by device alone)', async () => {
    const yaml = write('inventory.yaml', [
      'devices:',
      '  - { name: sw1, address: 10.0.0.1, platform: cisco-ios, pull: false }',
      '  - { name: fw1, address: 10.0.0.2, platform: fortinet, pull: false }',
      '  - { name: r1, address: 10.0.0.3, platform: junos }',
      '  - { name: r2, address: 10.0.0.4, platform: nokia-sros, pull: false }',
      '',
    ].join('\n'));
    const csv = write('inventory.csv', ['name,address,platform,pull', 'sw3,10.0.0.5,cisco-ioz,false', 'sw4,10.0.0.6,cisco-ios,false', ''].join('\n'));
    const problems = async (inventory: string): Promise<string[]> => {
      const r = await aaawatch(['check', '--config', write('inventory-config.yaml', ['pull:', `  inventory: ${inventory}`, ''].join('\n'))]);
      expect(r.code).toBe(2);
      return r.stderr.trim().split('\n').slice(1).map((p) => p.replace(/known: [^)]*\)$/, 'known: …)'));
    };
    expect(await problems(yaml)).toEqual([
      `${yaml}:3: devices[1].platform: unknown platform "fortinet" (did you mean fortinet-fortimanager or fortinet-fortios? known: …)`,
      `${yaml}:4: devices[2].platform: unknown platform "junos" (did you mean juniper-junos? known: …)`,
      `${yaml}:5: devices[3].platform: unknown platform "nokia-sros" (known: …)`,
    ]);
    expect(await problems(csv)).toEqual([`${csv}:2: platform: unknown platform "cisco-ioz" (did you mean cisco-ios? known: …)`]);
  });
});

describe('a file past the size a configuration holds', () => {
  it('a configuration, inventory or roster past 16 MiB, or a device read as one, is refused by name and bound, not read into memory', async () => {
    const huge = write('huge.yaml', `# ${'x'.repeat(CONFIG_FILE_MAX_BYTES)}\n`);
    const refusal = (file: string): string => `${file}: more than 16 MiB, the most a file aaawatch is configured by may hold (an inventory of over 100,000 devices fits): is it the file meant?`;
    for (const [config, named] of [[huge, huge], ['/dev/zero', '/dev/zero']] as const) {
      const r = await aaawatch(['check', '--config', config]);
      expect(r.stderr.trim().split('\n')).toEqual(['aaawatch: configuration error', refusal(named)]);
      expect(r.code).toBe(2);
    }
    for (const key of ['pull:\n  inventory: /dev/zero', 'reconcile:\n  roster: /dev/zero']) {
      const r = await aaawatch(['check', '--config', write('names-zero.yaml', `${key}\n`)]);
      expect(r.stderr.trim().split('\n')).toEqual(['aaawatch: configuration error', refusal('/dev/zero')]);
      expect(r.code).toBe(2);
    }
  });

  it('an inventory file read again in one process is parsed again only when its text changed', () => {
    const file = write('again.csv', 'name,address,platform,pull\nsw1,10.0.0.1,cisco-ios,false\n');
    const first = loadInventoryFile(file);
    first.pop();
    expect(loadInventoryFile(file).map((d) => d.name)).toEqual(['sw1']);
    writeFileSync(file, 'name,address,platform,pull\nsw2,10.0.0.2,cisco-ios,false\n');
    expect(loadInventoryFile(file).map((d) => d.name)).toEqual(['sw2']);
  });
});

describe('a port taken between serve’s check and a listener’s bind', () => {
  it('is named by the listener’s key from the failure its bind met: TCP, UDP, and the web thread’s', async () => {
    const [tcp, udp, web] = await Promise.all([holdTcp(), holdUdp(), holdTcp()]);
    const config = parseConfig(['store:', `  path: ${join(dir, 'race.db')}`, 'ingest:', `  tcp: { port: ${tcp} }`, `  udp: { port: ${udp} }`, 'web:', `  port: ${web}`, ''].join('\n'), 'race.yaml', platforms);
    const failure = (start: (fail: (err: unknown) => void) => void): Promise<unknown> => new Promise((resolve) => start(resolve));
    const tcpErr = await failure((fail) => createServer().once('error', fail).listen({ host: '::', port: tcp }));
    const udpErr = await failure((fail) => createSocket('udp6').once('error', fail).bind(udp, '::'));
    const webErr = await startWebThread(config, createLogger({ level: 'silent' })).then(() => 'listening', (err: unknown) => err);
    const inUse = (proto: string, port: number, host: string): string => `${proto} port ${port} on ${host} is in use by another process (ss -lntup shows which): stop it, or choose another port`;
    expect([tcpErr, udpErr, webErr].map((err) => bindFailure(config, err))).toEqual([
      { path: ['ingest', 'tcp', 'port'], message: inUse('TCP', tcp, '::') },
      { path: ['ingest', 'udp', 'port'], message: inUse('UDP', udp, '::') },
      { path: ['web', 'port'], message: inUse('TCP', web, '127.0.0.1') },
    ]);
    expect(configProblems(config, [bindFailure(config, webErr)!]).problems).toEqual([`race.yaml:7: web.port: ${inUse('TCP', web, '127.0.0.1')}`]);
    expect(bindFailure(config, new Error('something else'))).toBeUndefined();
  });
});
