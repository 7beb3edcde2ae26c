// The commands, end to end, as an engineer runs them: `aaawatch pull`, `accounts`, `snapshots`,
// `diff`, `hostkey list|accept`, against emulated devices, with a credentials file.

import { execFile, spawn } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { corpusPath, REPO } from '../support/corpus.js';
import { EMULATOR_ENABLE, EMULATOR_PASSWORD, hostKey, startEmulator, type RunningEmulator } from '../support/emulator/device.js';
import { loadTranscript } from '../support/emulator/transcript.js';
import { tempDir } from '../support/temp.js';

const IOS = loadTranscript(corpusPath('ssh-sessions', 'ios#C9200L-24P-4G_17.09.04a#simulation.yaml'));
const JUNOS = loadTranscript(corpusPath('ssh-sessions', 'junos#srx300_22.4#simulation.yaml'));
const dir = tempDir('aaawatch-pull-cli-');
const running: RunningEmulator[] = [];
afterAll(async () => {
  for (const e of running) await e.close();
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function aaawatch(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(REPO, 'dist/src/cli.js'), ...args, '--config', join(dir, 'aaawatch.yaml')], { cwd: REPO }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

function configure(iosPort: number, junosPort: number): void {
  writeFileSync(
    join(dir, 'aaawatch.yaml'),
    [
      'store:',
      `  path: ${join(dir, 'aaawatch.db')}`,
      'log: { level: info }',
      'devices:',
      `  - { name: core-sw1, address: 127.0.0.1, port: ${iosPort}, platform: cisco-ios, groups: [core] }`,
      `  - { name: srx1, address: 127.0.0.1, port: ${junosPort}, platform: juniper-junos }`,
      '  - { name: ise1, address: 127.0.0.1, platform: cisco-ise }',
      'pull:',
      `  credentialsFile: ${join(dir, 'credentials.yaml')}`,
      '  retries: 0',
    ].join('\n'),
  );
}

describe('aaawatch pull, accounts, snapshots, diff, hostkey', () => {
  it('works end to end from the command line', async () => {
    const creds = join(dir, 'credentials.yaml');
    writeFileSync(creds, `default:\n  username: aaawatch\n  password: ${EMULATOR_PASSWORD}\n  enableSecret: ${EMULATOR_ENABLE}\n`);
    chmodSync(creds, 0o600);
    const ios = await startEmulator({ transcript: IOS, enableSecret: EMULATOR_ENABLE });
    const junos = await startEmulator({ transcript: JUNOS });
    running.push(ios, junos);
    configure(ios.port, junos.port);

    const first = await aaawatch('pull', '--all');
    expect(first.stderr).not.toContain(EMULATOR_PASSWORD);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^core-sw1\s+changed\s+1\s+[\d.]+s\s+snapshot \d+ accounts \+2 -0 ~0$/m);
    expect(first.stdout).toMatch(/^srx1\s+changed\s+1\s+[\d.]+s\s+snapshot \d+ accounts \+2 -0 ~0$/m);
    expect(first.stdout).not.toContain('ise1');
    expect(first.stdout).toMatch(/^2 devices in [\d.]+s: 2 changed, 0 unchanged, 0 failed\n$/m);

    const accounts = (await aaawatch('accounts', '--pulled', '--json')).stdout.trim().split('\n').map((l) => JSON.parse(l) as { device: string; name: string; roles: string[] });
    expect(accounts.map((a) => `${a.device}/${a.name}/${a.roles.join(',')}`)).toEqual(['core-sw1/oxidized/', 'core-sw1/rocks/', 'srx1/oxidized/super-user', 'srx1/root/']);
    expect((await aaawatch('accounts', '--pulled', '--device', 'srx1')).stdout).toMatch(/^srx1\s+oxidized\s+super-user\s+password\s+\d{4}-/m);
    expect((await aaawatch('accounts', '--pulled', '--device', 'SRX1.example.net')).stdout).toMatch(/^srx1\s+oxidized\s+super-user\s+password\s+\d{4}-/m);

    // The device is reconfigured: a second snapshot, and the diff between them.
    const changed = await startEmulator({
      transcript: { ...IOS, exchanges: IOS.exchanges.map((e) => (e.command === 'show running-config' ? { ...e, response: e.response.replace('vlan 3\n name three', 'vlan 3\n name three\n!\nvlan 4\n name four') } : e)) },
      enableSecret: EMULATOR_ENABLE,
    });
    running.push(changed);
    configure(changed.port, junos.port);
    expect((await aaawatch('pull', 'core-sw1')).stdout).toMatch(/^core-sw1\s+changed/m);
    expect((await aaawatch('snapshots', 'core-sw1')).stdout.trim().split('\n')).toHaveLength(2);
    const diff = await aaawatch('diff', 'core-sw1');
    expect(diff.stdout).toMatch(/^\+vlan 4$/m);
    expect(diff.stdout).toMatch(/^--- core-sw1 snapshot \d+/m);
    expect((await aaawatch('snapshots', 'core-sw1', '--show')).stdout).toContain('enable secret 9 <redacted>');

    // The device's host key changes: the pull stops until the key is accepted.
    const rekeyed = await startEmulator({ transcript: IOS, enableSecret: EMULATOR_ENABLE, hostKey: hostKey('ed25519', true) });
    running.push(rekeyed);
    configure(rekeyed.port, junos.port);
    const refused = await aaawatch('pull', 'core-sw1');
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/^core-sw1\s+failed.*host-key-changed: host key changed/m);
    expect(refused.stdout).toMatch(/^1 device in [\d.]+s: 0 changed, 0 unchanged, 1 failed \(host-key-changed 1\)$/m);
    const list = (await aaawatch('hostkey', 'list')).stdout;
    const fingerprint = /^core-sw1\s+CHANGED\s+ssh-ed25519\s+(SHA256:\S+)/m.exec(list)?.[1];
    expect(fingerprint).toBeDefined();
    expect((await aaawatch('hostkey', 'accept', 'core-sw1', '--fingerprint', 'SHA256:wrong')).code).toBe(1);
    const accepted = await aaawatch('hostkey', 'accept', 'core-sw1', '--fingerprint', fingerprint!, '--by', 'jdoe');
    expect(accepted.stdout).toContain(`now trusting ssh-ed25519 ${fingerprint}`);
    expect((await aaawatch('hostkey', 'list')).stdout).toMatch(new RegExp(`^core-sw1\\s+pinned\\s+ssh-ed25519\\s+${fingerprint!.replace(/[+/]/g, '\\$&')}\\s+accepted .* by jdoe$`, 'm'));
    expect((await aaawatch('pull', 'core-sw1')).code).toBe(0);

    const status = (await aaawatch('pull', '--status')).stdout;
    expect(status).toMatch(/^core-sw1\s+last success \d{4}-\S+\s+failures in a row\s+0/m);
    expect(status).toMatch(/^srx1\s+last success/m);
    const history = (await aaawatch('accounts', '--device', 'core-sw1', '--history')).stdout;
    expect(history).toMatch(/^\S+\s+added\s+oxidized\s+snapshot \(first pull\) -> \d+/m);

    const unknown = await aaawatch('pull', 'nosuch', 'ise1');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no device named nosuch');
    expect(unknown.stderr).toContain('device ise1 is not pulled');
  });

  it('--all prints each device as it finishes: a hung device holds up no other\'s line; --json, one object per device', async () => {
    const creds = join(dir, 'credentials.yaml');
    writeFileSync(creds, `default:\n  username: aaawatch\n  password: ${EMULATOR_PASSWORD}\n  enableSecret: ${EMULATOR_ENABLE}\n`);
    chmodSync(creds, 0o600);
    const ok = await startEmulator({ transcript: IOS, enableSecret: EMULATOR_ENABLE });
    const hung = await startEmulator({ transcript: IOS, enableSecret: EMULATOR_ENABLE, hang: 'command' });
    running.push(ok, hung);
    writeFileSync(
      join(dir, 'aaawatch.yaml'),
      [
        `store: { path: ${join(dir, 'progress.db')} }`,
        'devices:',
        `  - { name: stuck, address: 127.0.0.1, port: ${hung.port}, platform: cisco-ios, ssh: { timeouts: { command: 5 } } }`,
        `  - { name: quick, address: 127.0.0.1, port: ${ok.port}, platform: cisco-ios }`,
        'pull:',
        `  credentialsFile: ${creds}`,
        '  retries: 0',
      ].join('\n'),
    );
    // The first output arrives while the hung device is still being waited for.
    const chunks: string[] = [];
    const p = spawn(process.execPath, [join(REPO, 'dist/src/cli.js'), 'pull', '--all', '--config', join(dir, 'aaawatch.yaml')]);
    p.stdout.on('data', (d: Buffer) => chunks.push(d.toString()));
    const code = await new Promise<number | null>((resolve) => p.on('close', resolve));
    expect(code).toBe(1);
    expect(chunks[0]).toMatch(/^quick\s+changed/);
    expect(chunks[0]).not.toContain('stuck');
    const all = chunks.join('');
    expect(all).toMatch(/^stuck\s+failed\s+1\s+[\d.]+s\s+timeout: show running-config: no answer for 5 s$/m);
    expect(all).toMatch(/^2 devices in [\d.]+s: 1 changed, 0 unchanged, 1 failed \(timeout 1\)$/m);

    const json = await aaawatch('pull', '--all', '--json');
    const rows = json.stdout.trim().split('\n').map((l) => JSON.parse(l) as { device: string; outcome: string; failure?: string });
    expect(rows.map((r) => [r.device, r.outcome, r.failure])).toEqual([
      ['quick', 'unchanged', undefined],
      ['stuck', 'failed', 'timeout'],
    ]);
  });

  it('prints a device\'s refusal as text: the controls its error line holds reach no terminal, from the pull or from --status', async () => {
    // The device refuses `show running-config` with an error line a terminal acts on: a DCS that swallows
    // what follows until its end, C1's CSI clearing the screen, a BEL, and a NUL.
    const refusal = "show running-config\n% Invalid input detected at '^' marker.\u001bP1$r\u009b2J\u0007\u0000 rest\nLAB-SW123_9200L#";
    const transcript = { ...IOS, exchanges: IOS.exchanges.map((e) => (e.command === 'show running-config' ? { ...e, response: refusal } : e)) };
    const ios = await startEmulator({ transcript, enableSecret: EMULATOR_ENABLE });
    running.push(ios);
    // A device of its own (core-sw1's key was changed and pinned above).
    writeFileSync(join(dir, 'aaawatch.yaml'), ['store:', `  path: ${join(dir, 'aaawatch.db')}`, 'devices:', `  - { name: refuser-sw, address: 127.0.0.1, port: ${ios.port}, platform: cisco-ios }`, 'pull:', `  credentialsFile: ${join(dir, 'credentials.yaml')}`, '  retries: 0'].join('\n'));
    const creds = join(dir, 'credentials.yaml');
    writeFileSync(creds, `default:\n  username: aaawatch\n  password: ${EMULATOR_PASSWORD}\n  enableSecret: ${EMULATOR_ENABLE}\n`);
    chmodSync(creds, 0o600);
    /** What a terminal acts on: C0 controls but TAB and LF, DEL, C1. */
    const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
    const pulled = await aaawatch('pull', 'refuser-sw');
    expect(pulled.code).toBe(1);
    expect(pulled.stdout).not.toMatch(RAW);
    expect(pulled.stdout).toContain("the device refused show running-config: % Invalid input detected at '^' marker.\\u{1b}P1$r\\u{9b}2J\\u{7}\\u{0} rest");
    const status = await aaawatch('pull', '--status');
    expect(status.stdout).not.toMatch(RAW);
    expect(status.stdout).toMatch(/^refuser-sw .*failures in a row +1 .*marker\.\\u\{1b\}P1\$r\\u\{9b\}2J\\u\{7\}\\u\{0\} rest$/m);
  });

  it('prints a configuration and its diff as text: a banner\'s terminal controls reach no terminal from snapshots --show or diff', async () => {
    // The banner of the second configuration holds a DCS (ESC P: what follows is swallowed until its end), C1's CSI and a BEL.
    const banner = 'banner motd ^C\nWelcome\u001bP1$r\u009b2J\u0007 to the lab\n^C\n';
    const withBanner = { ...IOS, exchanges: IOS.exchanges.map((e) => (e.command === 'show running-config' ? { ...e, response: e.response.replace('\nend\n', `\n${banner}end\n`) } : e)) };
    const key = hostKey('ed25519', true);
    const plain = await startEmulator({ transcript: IOS, enableSecret: EMULATOR_ENABLE, hostKey: key });
    const bannered = await startEmulator({ transcript: withBanner, enableSecret: EMULATOR_ENABLE, hostKey: key });
    running.push(plain, bannered);
    const creds = join(dir, 'credentials.yaml');
    writeFileSync(creds, `default:\n  username: aaawatch\n  password: ${EMULATOR_PASSWORD}\n  enableSecret: ${EMULATOR_ENABLE}\n`);
    chmodSync(creds, 0o600);
    const device = (port: number): void =>
      writeFileSync(join(dir, 'aaawatch.yaml'), ['store:', `  path: ${join(dir, 'banner.db')}`, 'devices:', `  - { name: banner-sw, address: 127.0.0.1, port: ${port}, platform: cisco-ios }`, 'pull:', `  credentialsFile: ${join(dir, 'credentials.yaml')}`, '  retries: 0'].join('\n'));
    device(plain.port);
    expect((await aaawatch('pull', 'banner-sw')).code).toBe(0);
    device(bannered.port);
    expect((await aaawatch('pull', 'banner-sw')).code).toBe(0);
    /** What a terminal acts on: C0 controls but TAB and LF, DEL, C1. */
    const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
    const shown = await aaawatch('snapshots', 'banner-sw', '--show');
    expect(shown.stdout).not.toMatch(RAW);
    expect(shown.stdout).toContain('Welcome\\x1bP1$r\\x9b2J\\x07 to the lab\n');
    const diff = await aaawatch('diff', 'banner-sw');
    expect(diff.stdout).not.toMatch(RAW);
    expect(diff.stdout).toContain('+Welcome\\x1bP1$r\\x9b2J\\x07 to the lab\n');
  });

  it('refuses to start when the credentials file can be read by others', async () => {
    const creds = join(dir, 'credentials.yaml');
    chmodSync(creds, 0o644);
    configure(1, 2); // two ports: one address and port twice is one device under two names, refused before the credentials file is read
    const r = await aaawatch('pull', '--all');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${creds}: the credentials file must be readable by its owner only, but its mode is 0644`);
  });
});
