// One pull against a real OpenSSH sshd on loopback (shell with a PTY, and exec), so aaawatch's
// SSH client is tested against a real server on every run. The test starts sshd itself as an
// unprivileged process on a free high port, with its own host key and configuration; its
// ForceCommand replays a recording (test/support/emulator/forcecommand.ts). Needs the Debian
// package `openssh-server` (sshd); under CI a missing sshd fails the test.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, chownSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attemptPull } from '../../src/pull/attempt.js';
import { digest } from '../../src/pull/digest.js';
import { fingerprint } from '../../src/pull/hostkeys.js';
import { Secret } from '../../src/pull/secret.js';
import { corpusPath, REPO } from '../support/corpus.js';
import { freePort } from '../support/ports.js';
import { sshKeyPair } from '../support/ssh-keys.js';
import { emulatedTarget } from '../support/emulator/targets.js';
import { which } from '../support/tools.js';
import { substanceMismatch } from './substance.js';
import { tempDir } from '../support/temp.js';

const SSHD = which('sshd') ?? (existsSync('/usr/sbin/sshd') ? '/usr/sbin/sshd' : undefined);
if (!SSHD && process.env.CI === 'true') throw new Error('sshd is not installed; .ci/run must install openssh-server');

/**
 * The account sshd runs as and logs in: an unprivileged sshd can only authenticate its own user.
 * When the tests run as root, an existing unprivileged account with a login shell is used (sshd
 * runs a ForceCommand through the user's shell), and sshd runs with the `tty` group: OpenSSH
 * gives each PTY to that group and, unprivileged, can only if the PTY is created in it already
 * (a container's devpts often lacks `gid=5`).
 */
function account(): { name: string; uid: number; gid: number } | undefined {
  const me = userInfo();
  if (me.uid !== 0) return { name: me.username, uid: me.uid, gid: me.gid };
  const tty = /^tty:[^:]*:(\d+):/m.exec(readFileSync('/etc/group', 'utf8'))?.[1];
  for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
    const [name, , uid, gid, , , shell] = line.split(':');
    if (name && Number(uid) >= 1 && shell && !/nologin|false|sync|halt|shutdown/.test(shell)) {
      return { name, uid: Number(uid), gid: tty !== undefined ? Number(tty) : Number(gid) };
    }
  }
  return undefined;
}

const user = SSHD ? account() : undefined;
if (SSHD && !user && process.env.CI === 'true') throw new Error('running as root with no unprivileged login account for sshd; add one (useradd -m -s /bin/sh sshtest)');

/**
 * What sshd, running as another user than the tests (as root), cannot reach: its files in this
 * file's TMPDIR, node, and the repository's emulator. A clone or TMPDIR under a folder closed to
 * others (/root is 0700) would otherwise fail with sshd's "Permission denied" on its own config.
 */
function unreachable(who: { name: string; uid: number; gid: number }): string | undefined {
  if (who.uid === userInfo().uid) return undefined;
  const needs: Array<[string, string]> = [
    ['-x', tmpdir()],
    ['-x', process.execPath],
    ['-r', join(REPO, 'test/support/emulator/forcecommand.ts')],
    ['-r', join(REPO, 'node_modules/tsx/dist/esm/index.mjs')],
  ];
  const closed = needs.find(([test, path]) => spawnSync('test', [test, path], { uid: who.uid, gid: who.gid }).status !== 0);
  return closed && `sshd runs as ${who.name}, who cannot reach ${closed[1]} (a folder on the way is closed to other users): put the clone and TMPDIR where ${who.name} can read them`;
}

/** A word for sh: single-quoted, a quote inside as '\''. */
const sh = (word: string): string => `'${word.replace(/'/g, "'\\''")}'`;

/**
 * Why an unprivileged sshd cannot give its user a PTY here: OpenSSH hands each PTY to the `tty`
 * group, which it can only do unprivileged when devpts makes new PTYs in that group already
 * (`gid=5`, the default outside containers). As root, sshd runs in the `tty` group (account()).
 */
function noPty(): string | undefined {
  if (userInfo().uid === 0) return undefined;
  const devpts = readFileSync('/proc/mounts', 'utf8').split('\n').find((l) => l.split(' ')[1] === '/dev/pts');
  return devpts && !/[ ,]gid=\d+/.test(devpts)
    ? 'devpts is mounted without gid= (a container\'s /dev/pts): an unprivileged sshd cannot give a PTY to its user; run the tests as root, or mount devpts with gid=5'
    : undefined;
}

const blocked = SSHD && user ? unreachable(user) : undefined;
if (blocked && process.env.CI === 'true') throw new Error(blocked);

let sshd: ChildProcess | undefined;
let port = 0;
let clientKey = '';
let hostFingerprint = '';
const log: string[] = [];

beforeAll(async () => {
  if (!SSHD || !user || blocked) return;
  const dir = tempDir('aaawatch-sshd-');
  const host = sshKeyPair('ed25519');
  const client = sshKeyPair('ed25519');
  clientKey = client.private;
  const hostPublic = ssh2.utils.parseKey(host.public);
  if (hostPublic instanceof Error) throw hostPublic;
  hostFingerprint = fingerprint(hostPublic.getPublicSSH());
  port = await freePort();
  const files: Record<string, string> = {
    host_ed25519: host.private,
    authorized_keys: client.public + '\n',
    'replay.sh': [
      '#!/bin/sh',
      // sshd passes the client's command in SSH_ORIGINAL_COMMAND; the recording's path is read from a file beside this script.
      // sshd's session does not see this run's TMPDIR, so tsx must not leave its cache in /tmp.
      'export TSX_DISABLE_CACHE=1',
      // Quoted: the clone and TMPDIR may be anywhere, spaces and all.
      `exec ${sh(process.execPath)} --import ${sh(pathToFileURL(join(REPO, 'node_modules/tsx/dist/esm/index.mjs')).href)} ${sh(join(REPO, 'test/support/emulator/forcecommand.ts'))} "$(cat ${sh(join(dir, 'transcript'))})"`,
      '',
    ].join('\n'),
    transcript: corpusPath('ssh-sessions', 'ios#C9200L-24P-4G_17.09.04a#simulation.yaml'),
    sshd_config: [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey "${join(dir, 'host_ed25519')}"`,
      'PidFile none',
      `AuthorizedKeysFile "${join(dir, 'authorized_keys')}"`,
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'StrictModes no',
      `AllowUsers ${user.name}`,
      `ForceCommand ${sh(join(dir, 'replay.sh'))}`,
      'LogLevel ERROR',
      '',
    ].join('\n'),
  };
  for (const [name, text] of Object.entries(files)) {
    const path = join(dir, name);
    writeFileSync(path, text);
    chmodSync(path, name === 'replay.sh' ? 0o755 : 0o600);
    chownSync(path, user.uid, user.gid);
  }
  chmodSync(dir, 0o755);
  sshd = spawn(SSHD, ['-D', '-e', '-f', join(dir, 'sshd_config')], { uid: user.uid, gid: user.gid, stdio: ['ignore', 'ignore', 'pipe'] });
  sshd.stderr!.on('data', (d: Buffer) => log.push(d.toString()));
  // Ready when the port accepts connections.
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (sshd.exitCode !== null) throw new Error(`sshd exited: ${log.join('')}`);
    const ok = await new Promise<boolean>((resolve) => {
      const c = createServer();
      c.once('error', () => resolve(true));
      c.listen(port, '127.0.0.1', () => c.close(() => resolve(false)));
    });
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`sshd did not listen: ${log.join('')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
});

afterAll(async () => {
  if (!sshd || sshd.exitCode !== null) return;
  const exited = once(sshd, 'exit');
  sshd.kill();
  await exited;
});

describe.skipIf(!SSHD || !user)('against OpenSSH sshd', () => {
  it('pulls a recorded IOS device over a PTY shell: the host key is OpenSSH\'s, the configuration the recording\'s', async (ctx) => {
    if (blocked) ctx.skip(blocked);
    const pty = noPty();
    if (pty && process.env.CI === 'true') throw new Error(pty);
    if (pty) ctx.skip(pty);
    const target = emulatedTarget(port, 'cisco-ios', {
      credential: { name: 'key', username: user!.name, privateKey: new Secret(clientKey) },
      timeouts: { login: 20_000, command: 20_000, total: 60_000 },
    });
    const pulled = await attemptPull(target, { trusted: [], revoked: [] }, { maxBytes: 1 << 20, maxLineLength: 65536, settleMs: 25 });
    expect(pulled.hostKey.fingerprint).toBe(hostFingerprint);
    expect(pulled.hostKey.type).toBe('ssh-ed25519');
    const peer = readFileSync(corpusPath('ssh-sessions', 'ios#C9200L-24P-4G_17.09.04a#output.txt'), 'utf8');
    expect(substanceMismatch(pulled.raw, peer, 'ios')).toBeUndefined();
    const d = digest(target.platform, pulled.raw);
    expect(d.accounts.map((a) => a.name)).toEqual(['oxidized', 'rocks']);
    expect(d.redacted).not.toContain('SECRET');
  });

  it('runs a command on an exec channel', async (ctx) => {
    if (blocked) ctx.skip(blocked);
    const target = emulatedTarget(port, 'cisco-ios', {
      credential: { name: 'key', username: user!.name, privateKey: new Secret(clientKey) },
      timeouts: { login: 20_000, command: 20_000, total: 60_000 },
    });
    const exec = { ...target, platform: { ...target.platform, ssh: { ...target.platform.ssh, exec: true, configCommands: ['show running-config'] } } };
    const pulled = await attemptPull(exec, { trusted: [], revoked: [] }, { maxBytes: 1 << 20, maxLineLength: 65536, settleMs: 25 });
    expect(pulled.raw).toContain('hostname LAB-SW123_9200L');
  });
});
