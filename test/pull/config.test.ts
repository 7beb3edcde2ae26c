// Inventory and credentials: devices with their SSH overrides, CSV and YAML inventory files
// (errors name the file, line and field), credentials from a file that must be mode 0600, from
// environment variables, key files and ssh-agent, and the targets resolved from all of it.

import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { platformById, platforms } from '../../parsers/index.js';
import { pullSchema } from '../../src/config/inventory.js';
import { ConfigError, parseConfig } from '../../src/config/load.js';
import { loadCredentials } from '../../src/pull/credentials.js';
import { inventory, loadInventoryFile } from '../../src/pull/inventory-file.js';
import { resolveTargets } from '../../src/pull/target.js';
import { tempDir } from '../support/temp.js';

const dir = tempDir('aaawatch-config-');
function file(name: string, text: string, mode = 0o600): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  chmodSync(path, mode);
  return path;
}

function problems(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  throw new Error('no error');
}

describe('devices in the configuration', () => {
  it('accepts ports, credentials, schedules and per-device SSH overrides; keeps name/address/platform/zone/groups', () => {
    const config = parseConfig(
      [
        'devices:',
        '  - name: core-sw1',
        '    address: 10.0.0.1',
        '    platform: cisco-ios',
        '    zone: Europe/Berlin',
        '    groups: [core, dc1]',
        '  - name: old-asa',
        '    address: 10.0.0.2',
        '    port: 2222',
        '    platform: cisco-asa',
        '    credential: firewalls',
        '    schedule: "*/30 * * * *"',
        '    ssh:',
        '      legacy: true',
        '      algorithms: { kex: [diffie-hellman-group-exchange-sha1] }',
        '      timeouts: { command: 120 }',
        '      enable: secret',
        '  - { name: ise1, address: 10.0.0.3, platform: cisco-ise, pull: false }',
        'pull:',
        '  concurrency: 50',
        '  groups: { core: { schedule: "*/15 * * * *" } }',
        '  credentials:',
        '    default: { username: backup, password: { env: PULL_PASSWORD } }',
        '    firewalls: { username: backup, password: { env: PULL_PASSWORD }, enableSecret: { env: PULL_ENABLE } }',
      ].join('\n'),
      'aaawatch.yaml',
      platforms,
    );
    expect(config.devices[0]).toMatchObject({ name: 'core-sw1', port: 22, groups: ['core', 'dc1'], zone: 'Europe/Berlin', pull: true });
    expect(config.devices[1]!.ssh).toEqual({ legacy: true, algorithms: { kex: ['diffie-hellman-group-exchange-sha1'] }, timeouts: { command: 120 }, enable: 'secret' });
    expect(config.pull.concurrency).toBe(50);
    expect(config.pull.timeouts).toEqual({ connect: 15, login: 20, command: 30, total: 300 });
  });

  it('names the line and key of a mistake', () => {
    const msg = problems(() =>
      parseConfig(['devices:', '  - name: a', '    address: 10.0.0.1', '    platform: cisco-ios', '    schedule: every hour', '    ssh: { algorithms: { kex: [diffie-hellman-group1-sha0] } }'].join('\n'), 'c.yaml', platforms),
    );
    expect(msg).toMatch(/c\.yaml:5: devices\[0\]\.schedule: must be a cron expression/);
    expect(msg).toMatch(/c\.yaml:6: devices\[0\]\.ssh\.algorithms\.kex\[0\]/);
    expect(problems(() => parseConfig('pull:\n  credentials:\n    x: { username: u, password: inline-secret }\n', 'c.yaml', platforms))).toMatch(/c\.yaml:3: pull\.credentials\.x\.password/);
  });
});

describe('a device\'s address', () => {
  // A CIDR, a bracketed or spaced address would be taken for a host name that never resolves: the
  // sender check would compare nothing for the device (found with `aaawatch check` on one).
  it('is an IP address in any spelling or a host name; a CIDR or anything else is refused, in the configuration and in an inventory file', () => {
    const device = (address: string) => `devices:\n  - name: a\n    address: "${address}"\n    platform: cisco-ios\n    pull: false\n`;
    for (const ok of ['192.0.2.11', '2001:DB8:0::13', '::ffff:192.0.2.12', 'fe80::1%eth0', 'fw1.example.net', 'fw1.example.net.', 'dc_01.corp', 'localhost']) {
      expect(parseConfig(device(ok), 'c.yaml', platforms).devices[0]!.address, ok).toBe(ok);
    }
    for (const bad of ['192.0.2.0/24', '[2001:db8::13]', 'core sw1', '-fw1.example.net', 'fw1..example.net', `${'a'.repeat(64)}.example.net`, '192.0.2.11:22']) {
      expect(problems(() => parseConfig(device(bad), 'c.yaml', platforms)), bad).toMatch(/c\.yaml:3: devices\[0\]\.address: must be an IP address or a host name/);
    }
    expect(problems(() => loadInventoryFile(file('cidr.csv', 'name,address,platform\nsw1,192.0.2.0/24,cisco-ios\n')))).toMatch(/cidr\.csv:2: address: must be an IP address or a host name/);
  });
});

describe('inventory files', () => {
  it('CSV: header, groups separated by `;`, quoted fields, comments; errors name the line', () => {
    const csv = file(
      'devices.csv',
      ['name,address,platform,port,groups,credential,pull', 'sw1,10.0.0.1,cisco-ios,,core;dc1,,', '# a comment', '"fw, old",10.0.0.2,cisco-asa,2222,,fw,yes', 'ise,10.0.0.3,cisco-ise,,,,no'].join('\n'),
    );
    const devices = loadInventoryFile(csv);
    expect(devices.map((d) => [d.name, d.port, d.groups, d.credential, d.pull])).toEqual([
      ['sw1', 22, ['core', 'dc1'], undefined, true],
      ['fw, old', 2222, [], 'fw', true],
      ['ise', 22, [], undefined, false],
    ]);
    expect(problems(() => loadInventoryFile(file('bad.csv', 'name,address,platform,port\nsw1,10.0.0.1,cisco-ios,99999\n')))).toMatch(/bad\.csv:2: port: /);
    expect(problems(() => loadInventoryFile(file('badcol.csv', 'name,address,platfrom\n')))).toMatch(/badcol\.csv:1: unknown column platfrom/);
  });

  it('YAML: a list, or `devices:`; merged with the configuration\'s own; a name twice is an error', () => {
    const yaml = file('devices.yaml', 'devices:\n  - { name: sw2, address: 10.0.0.2, platform: arista-eos }\n');
    const pull = pullSchema.parse({ inventory: yaml });
    expect(inventory([{ name: 'sw1', address: '10.0.0.1', platform: 'cisco-ios', groups: [], port: 22, pull: true }], pull).map((d) => d.name)).toEqual(['sw1', 'sw2']);
    expect(problems(() => inventory([{ name: 'sw2', address: '10.0.0.9', platform: 'cisco-ios', groups: [], port: 22, pull: true }], pull))).toMatch(/sw2 is defined twice/);
    const bad = file('bad.yaml', '- name: x\n  address: 10.0.0.1\n  platform: cisco-ios\n  prot: 22\n');
    expect(problems(() => loadInventoryFile(bad))).toMatch(/bad\.yaml:4: \[0\]\.prot: unknown key prot/);
  });
});

describe('a device\'s log names', () => {
  // A FortiGate names itself by its hostname in every log (`devname="FGT60F-HQ"`, the corpus's FortiOS lines), which often
  // is not the name the inventory gives it: `logNames` lists the names it logs under.
  it('are kept in the configuration, a YAML and a CSV inventory file', () => {
    const config = parseConfig('devices:\n  - name: fw-edge-1\n    address: 192.0.2.40\n    platform: fortinet-fortios\n    logNames: [FGT60F-HQ]\n    pull: false\n', 'c.yaml', platforms);
    expect(config.devices[0]!.logNames).toEqual(['FGT60F-HQ']);
    const csv = loadInventoryFile(file('log-names.csv', 'name,address,platform,lognames\nfw-edge-1,192.0.2.40,fortinet-fortios,FGT60F-HQ;FGT60F-OLD\n'));
    expect(csv[0]!.logNames).toEqual(['FGT60F-HQ', 'FGT60F-OLD']);
  });

  it('naming another device (its name or one of its log names, in any case) is refused with the file, line and key', () => {
    const two = (a: string, b: string) =>
      `devices:\n  - name: fw-edge-1\n    address: 192.0.2.40\n    platform: fortinet-fortios\n    logNames: [${a}]\n  - name: fw-edge-2\n    address: 192.0.2.41\n    platform: fortinet-fortios\n    logNames: [${b}]\npull:\n  credentials:\n    default: { username: u, password: { env: P } }\n`;
    expect(problems(() => parseConfig(two('FW-EDGE-2', 'x'), 'c.yaml', platforms))).toMatch(/c\.yaml:5: devices\[0\]\.logNames\[0\]: is the name of device fw-edge-2/);
    expect(problems(() => parseConfig(two('FGT60F-HQ', 'fgt60f-hq'), 'c.yaml', platforms))).toMatch(/c\.yaml:9: devices\[1\]\.logNames\[0\]: is also a log name of device fw-edge-1/);
    // Its own name among them is harmless.
    expect(parseConfig(two('fw-edge-1', 'FGT60F-B'), 'c.yaml', platforms).devices).toHaveLength(2);
    const yaml = file('clash.yaml', '- { name: a, address: 10.0.0.1, platform: cisco-ios }\n- name: b\n  address: 10.0.0.2\n  platform: cisco-ios\n  logNames: [A]\n');
    expect(problems(() => loadInventoryFile(yaml))).toMatch(/clash\.yaml:5: \[1\]\.logNames\[0\]: is the name of device a/);
    const csv = file('clash.csv', 'name,address,platform,lognames\na,10.0.0.1,cisco-ios,shared\nb,10.0.0.2,cisco-ios,Shared\n');
    expect(problems(() => loadInventoryFile(csv))).toMatch(/clash\.csv:3: lognames: Shared is also a log name of device a/);
    // Across the configuration's devices and the inventory file.
    const pull = pullSchema.parse({ inventory: file('other.yaml', '- { name: sw9, address: 10.0.0.9, platform: cisco-ios, logNames: [core] }\n') });
    expect(problems(() => inventory([{ name: 'core', address: '10.0.0.1', platform: 'cisco-ios', groups: [], port: 22, pull: true }], pull))).toMatch(/other\.yaml: device sw9: logNames: core is the name of device core/);
  });
});

describe('credentials', () => {
  it('refuses a credentials file others can read, naming it and its mode', () => {
    const f = file('open.yaml', 'default: { username: u, password: p }\n', 0o640);
    const msg = problems(() => loadCredentials(pullSchema.parse({ credentialsFile: f })));
    expect(msg).toContain(f);
    expect(msg).toMatch(/mode is 0640; run: chmod 600/);
    expect(msg).not.toContain('password: p');
  });

  it('reads inline secrets from the 0600 file, environment variables and key files; never prints them', () => {
    const key = file('id_ed25519', '-----BEGIN OPENSSH PRIVATE KEY-----\nnot-a-real-key\n-----END OPENSSH PRIVATE KEY-----\n');
    const f = file('credentials.yaml', `default:\n  username: backup\n  password: File-Pass-1\n  enableSecret: { env: T_ENABLE }\nkeyed:\n  username: svc\n  privateKey: ${key}\n  passphrase: { env: T_PASSPHRASE }\n`);
    const creds = loadCredentials(pullSchema.parse({ credentialsFile: f, credentials: { agent: { username: 'a', agent: true } } }), {
      T_ENABLE: 'Env-Enable-1', T_PASSPHRASE: 'Env-Phrase-1', SSH_AUTH_SOCK: '/run/agent.sock',
    });
    expect(creds.get('default')!.password!.reveal()).toBe('File-Pass-1');
    expect(creds.get('default')!.enableSecret!.reveal()).toBe('Env-Enable-1');
    expect(creds.get('keyed')!.privateKey!.reveal()).toContain('not-a-real-key');
    expect(creds.get('agent')!.agent).toBe('/run/agent.sock');
    expect(JSON.stringify([...creds.values()])).not.toMatch(/File-Pass-1|Env-Enable-1|Env-Phrase-1|not-a-real-key/);
  });

  it('says which environment variable is missing (and not any value); refuses a readable key file; agent needs SSH_AUTH_SOCK', () => {
    expect(problems(() => loadCredentials(pullSchema.parse({ credentials: { c: { username: 'u', password: { env: 'NOPE_NOT_SET' } } } }), {}))).toMatch(
      /pull\.credentials\.c\.password: environment variable NOPE_NOT_SET is not set/,
    );
    const key = file('id_open', 'key', 0o644);
    expect(problems(() => loadCredentials(pullSchema.parse({ credentials: { c: { username: 'u', privateKey: key } } }), {}))).toMatch(/mode is 0644/);
    expect(problems(() => loadCredentials(pullSchema.parse({ credentials: { c: { username: 'u', agent: true } } }), {}))).toMatch(/SSH_AUTH_SOCK is not set/);
  });
});

describe('targets', () => {
  const pull = pullSchema.parse({ timeouts: { connect: 10 } });
  const creds = loadCredentials(pullSchema.parse({ credentials: { default: { username: 'u' } } }), {});
  const device = (o: object): Parameters<typeof resolveTargets>[0][number] => ({ name: 'd', address: '10.0.0.1', platform: 'cisco-ios', groups: [], port: 22, pull: true, ...o });

  it('resolves platform, credential, timeouts (ms, device overrides) and enable', () => {
    const { targets } = resolveTargets([device({ ssh: { timeouts: { command: 90 }, legacy: true } })], pull, creds, platformById);
    expect(targets[0]!.timeouts).toEqual({ connect: 10_000, login: 20_000, command: 90_000, total: 300_000 });
    expect(targets[0]!.enable).toBe('auto');
    expect(targets[0]!.legacy).toBe(true);
    expect(resolveTargets([device({ platform: 'cisco-nxos' })], pull, creds, platformById).targets[0]!.enable).toBe('none');
    expect(resolveTargets([device({ ssh: { enable: 'none' } })], pull, creds, platformById).targets[0]!.enable).toBe('none');
  });

  it('skips devices that are not pulled; refuses unknown platforms and credentials before connecting', () => {
    const { skipped } = resolveTargets([device({ name: 'a', pull: false }), device({ name: 'b', platform: 'cisco-ise' })], pull, creds, platformById);
    expect(skipped.map((s) => s.device)).toEqual(['a', 'b']);
    const msg = problems(() => resolveTargets([device({ platform: 'nokia-sros' }), device({ name: 'e', credential: 'nobody' })], pull, creds, platformById));
    expect(msg).toMatch(/device d: unknown platform nokia-sros/);
    expect(msg).toMatch(/device e: no credential named nobody/);
  });
});
