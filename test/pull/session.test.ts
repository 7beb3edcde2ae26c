// The failure modes config pullers meet in the field, each reproduced by the emulator: banners
// and "Press any key", keyboard-interactive, enable (with a secret, a wrong one, none, already
// privileged), slow chunked output, prompt-like text inside the configuration, stray `\r`,
// pagers, legacy algorithms, timeouts at connect, login and command, hostile sizes, exec
// fallbacks. Each pull's result is compared with a plain pull of the same recording.
//
// Everything runs in virtual time (test/support/virtual-time.ts): the emulator's pauses and slow
// chunks, the settle time and every timeout are measured in turns of the event loop, so a loaded
// machine neither trips a timeout nor hides a wait, and a timeout is shown to fire when it should.

import { once } from 'node:events';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attemptPull } from '../../src/pull/attempt.js';
import { PullError } from '../../src/pull/errors.js';
import { Secret } from '../../src/pull/secret.js';
import type { Target } from '../../src/pull/target.js';
import { corpusPath } from '../support/corpus.js';
import { EMULATOR_ENABLE, startEmulator, type EmulatorOptions, type RunningEmulator } from '../support/emulator/device.js';
import { ROUTEROS_USERS } from '../../parsers/mikrotik-routeros/test/recordings.js';
import { emulatedTarget, emulatorCredential } from '../support/emulator/targets.js';
import { loadTranscript, parseTranscript, type Transcript } from '../support/emulator/transcript.js';
import { settle, until, useVirtualTime } from '../support/virtual-time.js';

const LIMITS = { maxBytes: 16 << 20, maxLineLength: 65536, settleMs: 25 };
const load = (name: string): Transcript => loadTranscript(corpusPath('ssh-sessions', `${name}#simulation.yaml`));
const IOS = load('ios#C9200L-24P-4G_17.09.04a');
const ASR = load('ios#asr920_16.8.1b');
const EOS = load('eos#DCS-7050SX3-48YC8_4.29.2F');
const ASA = load('asa#5512_9.12-4-67_single-context');
const H3C = load('h3c#5130-48G_7.1.070');

const running: RunningEmulator[] = [];
async function emulate(o: EmulatorOptions): Promise<RunningEmulator> {
  const e = await startEmulator(o);
  running.push(e);
  return e;
}
let realTime: (() => void) | undefined;
afterAll(async () => {
  realTime?.();
  for (const e of running) await e.close();
});

async function pull(emu: RunningEmulator, platform: string, o: Parameters<typeof emulatedTarget>[2] = {}, limits = LIMITS): Promise<string> {
  return (await settle(attemptPull(emulatedTarget(emu.port, platform, o), { trusted: [], revoked: [] }, limits))).raw;
}

/** The PullError `work` fails with, and after how many virtual milliseconds. */
async function failure(work: Promise<unknown>): Promise<PullError & { afterMs: number }> {
  const r = await until(work);
  if (r.ok) throw new Error('the pull succeeded');
  if (!(r.error instanceof PullError)) throw r.error;
  return Object.assign(r.error, { afterMs: r.ms });
}

/** What a plain pull of each recording gives; every switch must give the same. */
const plain = new Map<Transcript, string>();
beforeAll(async () => {
  realTime = useVirtualTime();
  for (const [t, platform] of [[IOS, 'cisco-ios'], [ASR, 'cisco-ios'], [EOS, 'arista-eos'], [ASA, 'cisco-asa'], [H3C, 'h3c-comware']] as const) {
    plain.set(t, await pull(await emulate({ transcript: t }), platform));
  }
});

describe('login', () => {
  it('reads past a MOTD banner with prompt-like lines and answers "Press any key"', async () => {
    const banner = 'Authorised access only\nrouter#\nContact noc@example.com>\n';
    const emu = await emulate({ transcript: IOS, banner, pressAnyKey: true });
    expect(await pull(emu, 'cisco-ios')).toBe(plain.get(IOS));
  });

  it('logs in with keyboard-interactive when that is all the device offers (Arista)', async () => {
    const emu = await emulate({ transcript: EOS, keyboardInteractive: true });
    expect(await pull(emu, 'arista-eos')).toBe(plain.get(EOS));
  });

  it('refuses a wrong password without retrying it (no lockouts)', async () => {
    const emu = await emulate({ transcript: IOS });
    const err = await failure(pull(emu, 'cisco-ios', { credential: emulatorCredential({ password: new Secret('wrong-password-1') }) }));
    expect(err.failure).toBe('auth');
    expect(err.retryable).toBe(false);
  });
});

describe('enable', () => {
  it('answers the enable secret when the session starts unprivileged', async () => {
    const emu = await emulate({ transcript: IOS, enableSecret: EMULATOR_ENABLE });
    expect(await pull(emu, 'cisco-ios')).toBe(plain.get(IOS));
    expect(emu.received.slice(0, 2)).toEqual(['enable', '<enable secret>']);
  });

  it('ASA: the recording asks for a password at enable; it is answered', async () => {
    const emu = await emulate({ transcript: ASA });
    const raw = await pull(emu, 'cisco-asa');
    expect(raw).toContain('ASA Version 9.12(4)67');
    expect(emu.received).toContain('<enable secret>');
  });

  it('does not send enable to a session that is already privileged, and never waits for a timeout', async () => {
    const emu = await emulate({ transcript: IOS });
    const timeouts = { login: 5000, command: 5000 };
    const r = await until(attemptPull(emulatedTarget(emu.port, 'cisco-ios', { timeouts }), { trusted: [], revoked: [] }, LIMITS));
    expect(r.ok).toBe(true);
    expect(emu.received).not.toContain('enable');
    // Done in less virtual time than the shortest timeout: no wait ran out on the way.
    expect(r.ms).toBeLessThan(timeouts.login);
  });

  it('fails clearly on a wrong secret, and on a secret asked for but not configured', async () => {
    const emu = await emulate({ transcript: IOS, enableSecret: EMULATOR_ENABLE });
    const wrong = await failure(pull(emu, 'cisco-ios', { credential: emulatorCredential({ enableSecret: new Secret('not-the-secret') }) }));
    expect(wrong.failure).toBe('enable');
    expect(wrong.message).toMatch(/refused/);
    const missing = await failure(pull(emu, 'cisco-ios', { credential: { name: 'c', username: 'aaawatch', password: emulatorCredential().password! } }));
    expect(missing.failure).toBe('enable');
    expect(missing.message).toMatch(/enableSecret/);
  });

  it('with enable: none, enable is never sent, even to an unprivileged session', async () => {
    const emu = await emulate({ transcript: IOS, enableSecret: EMULATOR_ENABLE });
    const target: Target = { ...emulatedTarget(emu.port, 'cisco-ios'), enable: 'none' };
    await settle(attemptPull(target, { trusted: [], revoked: [] }, LIMITS));
    expect(emu.received).not.toContain('enable');
  });
});

describe('output', () => {
  it('a long configuration arriving slowly in many small chunks', async () => {
    const emu = await emulate({ transcript: ASR, chunk: { size: 97, delayMs: 1 } });
    expect(await pull(emu, 'cisco-ios')).toBe(plain.get(ASR));
  });

  it('prompt-like text inside the configuration, each followed by a pause, does not end the read', async () => {
    const lines = [' description uplink to core-sw1#', 'snmp-server contact noc@example.com', 'LAB-SW123_9200L-old#', ' description LAB-SW123_9200L>x'];
    const emu = await emulate({ transcript: IOS, promptLikeLines: { lines, pauseMs: 120 } });
    const raw = await pull(emu, 'cisco-ios');
    for (const l of lines) expect(raw).toContain(l + '\n');
    expect(raw.replace(lines.map((l) => l + '\n').join(''), '')).toBe(plain.get(IOS));
  });

  it('a configuration line that is exactly the prompt, then a pause: never a cut-short configuration', async () => {
    const emu = await emulate({ transcript: IOS, promptLikeLines: { lines: ['LAB-SW123_9200L#'], pauseMs: 300 } });
    const target = emulatedTarget(emu.port, 'cisco-ios');
    const r = await until(attemptPull(target, { trusted: [], revoked: [] }, LIMITS));
    const result = r.ok ? r.value.raw : r.error;
    // Either the read went on past the pause, or the end marker was missing and digest() refuses it.
    if (typeof result === 'string' && !/^end$/m.test(result)) {
      const { digest } = await import('../../src/pull/digest.js');
      expect(() => digest(target.platform, result)).toThrow(/end marker/);
    }
  });

  it('stray carriage returns before prompts and in line ends', async () => {
    const emu = await emulate({ transcript: IOS, strayCr: true });
    expect(await pull(emu, 'cisco-ios')).toBe(plain.get(IOS));
  });

  it('pages behind --More-- (IOS) and <--- More ---> (ASA) are read through', async () => {
    expect(await pull(await emulate({ transcript: ASR, pageLines: 40 }), 'cisco-ios')).toBe(plain.get(ASR));
    expect(await pull(await emulate({ transcript: ASA, pageLines: 40 }), 'cisco-asa')).toBe(plain.get(ASA));
  });

  it('pages behind ---- More ---- (Comware) are read through: the blanks it erases the pager with by cursor-left escapes are no text', async () => {
    const emu = await emulate({ transcript: H3C, pageLines: 2 });
    expect(await pull(emu, 'h3c-comware')).toBe(plain.get(H3C));
    expect(emu.received.filter((c) => c === '<space>').length).toBeGreaterThan(1);
  });

  it('FortiOS: the recorded --More-- pages of `get system status` are answered with a space', async () => {
    const t = load('fortigate#FortiGate-91G_7.4.7');
    // A profile that also runs the paged command, to replay the recording's own pager.
    const emu = await emulate({ transcript: t });
    const target = emulatedTarget(emu.port, 'fortinet-fortios');
    const profile = { ...target.platform.ssh, configCommands: ['get system status', ...target.platform.ssh.configCommands] };
    const pulled = await settle(attemptPull({ ...target, platform: { ...target.platform, ssh: profile } }, { trusted: [], revoked: [] }, LIMITS));
    expect(pulled.raw).toContain('BIOS version: 06000100\nSystem Part-Number: P28792-06');
    expect(pulled.raw).not.toContain('--More--');
    expect(emu.received.filter((c) => c === '<space>')).toHaveLength(1);
  });

  it('keeps the configuration byte for byte between the echo and the prompt: every trailing blank, the last line\'s too, the blank lines before the prompt, control characters', async () => {
    // Comware prints its lines with trailing blanks (`display current-configuration` as published
    // from HP 1910/1920 switches); the last one before the prompt lost them when outputs were joined.
    const t = load('h3c#5130-48G_7.1.070');
    const index = t.exchanges.findIndex((e) => e.command === 'display current-configuration');
    const response = t.exchanges[index]!.response;
    const cut = response.lastIndexOf('\n') + 1;
    // And control characters between words (a vertical tab, a NUL) are the text's: dropped, they fused a keyword to its value.
    const tail = 'local-user admin    \r\n password cipher $c$3$Vq0p8n2Zr7T1kL4mXyW9   \r\n super password\x0bcipher\x00$c$3$Wq1r9o3As8U2mM5nYzX0\r\n service-type ssh telnet terminal   \r\n  \r\n\r\n';
    const updated = response.slice(0, cut) + tail + response.slice(cut);
    const emu = await emulate({ transcript: { ...t, exchanges: t.exchanges.map((e, i) => (i === index ? { ...e, response: updated } : e)) } });
    const raw = await pull(emu, 'h3c-comware');
    // What the device sent after its echo line and before the prompt's line, line ends as read (`\r\n` → `\n`).
    const sent = updated.slice(updated.indexOf('\n') + 1, updated.lastIndexOf('\n') + 1).replace(/\r\n/g, '\n');
    expect(raw.endsWith(' service-type ssh telnet terminal   \n  \n\n')).toBe(true);
    expect(raw).toBe(sent);
  });

  it('refuses output beyond the size bounds instead of storing part of it', async () => {
    const emu = await emulate({ transcript: ASR });
    const big = await failure(pull(emu, 'cisco-ios', {}, { ...LIMITS, maxBytes: 4096 }));
    expect(big.failure).toBe('too-large');
    const long = await failure(pull(emu, 'cisco-ios', {}, { ...LIMITS, maxLineLength: 80 }));
    expect(long.failure).toBe('too-large');
  });
});

describe('algorithms', () => {
  it('a legacy-only device (group14-sha1, ssh-rsa, aes128-cbc) is refused by default and pulled when the device opts in', async () => {
    const emu = await emulate({ transcript: IOS, legacyOnly: true });
    const refused = await failure(pull(emu, 'cisco-ios'));
    expect(refused.failure).toBe('algorithms');
    expect(refused.message).toMatch(/ssh\.legacy/);
    expect(await pull(emu, 'cisco-ios', { legacy: true })).toBe(plain.get(IOS));
  });
});

describe('timeouts: each fires once its own limit has passed, not before, and not only at a later default', () => {
  // A pull's own work before the wait (TCP, key exchange, login, setup commands) takes a bounded
  // number of event-loop turns; the other limits are left at 15 s, far beyond it.
  const WORK_MS = 1000;

  it('connect: a port that accepts and says nothing', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((s) => sockets.push(s)).listen(0, '127.0.0.1');
    await once(silent, 'listening');
    const err = await failure(
      attemptPull(emulatedTarget((silent.address() as AddressInfo).port, 'cisco-ios', { timeouts: { connect: 700 } }), { trusted: [], revoked: [] }, LIMITS),
    );
    expect(err.failure).toBe('connect');
    expect(err.afterMs).toBeGreaterThanOrEqual(700);
    expect(err.afterMs).toBeLessThan(700 + WORK_MS);
    for (const s of sockets) s.destroy();
    silent.close();
  });

  it('login: no prompt ever comes', async () => {
    const emu = await emulate({ transcript: IOS, hang: 'login' });
    const err = await failure(attemptPull(emulatedTarget(emu.port, 'cisco-ios', { timeouts: { login: 600 } }), { trusted: [], revoked: [] }, LIMITS));
    expect(err.failure).toBe('timeout');
    expect(err.message).toMatch(/login/);
    expect(err.afterMs).toBeGreaterThanOrEqual(600);
    expect(err.afterMs).toBeLessThan(600 + WORK_MS);
  });

  it('command: the configuration command gets no answer (shell and exec)', async () => {
    const ios = await emulate({ transcript: IOS, hang: 'command' });
    const err = await failure(attemptPull(emulatedTarget(ios.port, 'cisco-ios', { timeouts: { command: 600 } }), { trusted: [], revoked: [] }, LIMITS));
    expect(err.failure).toBe('timeout');
    expect(err.message).toMatch(/show running-config/);
    expect(err.afterMs).toBeGreaterThanOrEqual(600);
    expect(err.afterMs).toBeLessThan(600 + WORK_MS);
    const junos = await emulate({ transcript: load('junos#srx300_22.4'), hang: 'command' });
    const exec = await failure(attemptPull(emulatedTarget(junos.port, 'juniper-junos', { timeouts: { command: 600 } }), { trusted: [], revoked: [] }, LIMITS));
    expect(exec.failure).toBe('timeout');
    expect(exec.afterMs).toBeGreaterThanOrEqual(600);
    expect(exec.afterMs).toBeLessThan(600 + WORK_MS);
  });

  it('the overall limit ends a device that keeps talking slowly', async () => {
    const emu = await emulate({ transcript: ASR, chunk: { size: 16, delayMs: 20 } });
    const err = await failure(attemptPull(emulatedTarget(emu.port, 'cisco-ios', { timeouts: { total: 800 } }), { trusted: [], revoked: [] }, LIMITS));
    expect(err.failure).toBe('timeout');
    expect(err.message).toMatch(/overall/);
    expect(err.afterMs).toBeGreaterThanOrEqual(800);
    expect(err.afterMs).toBeLessThan(800 + WORK_MS);
  });
});

describe('exec channels', () => {
  it('RouterOS 6: `/export show-sensitive` is refused, so `/export` is used', async () => {
    const t = load('routeros#CHR_7.16');
    const v6 = parseTranscript('commands: {}', 'routeros#v6#simulation.yaml');
    const exported = t.exchanges.find((e) => e.command === '/export show-sensitive')!;
    v6.exchanges.push({ command: '/export', response: exported.response }, ROUTEROS_USERS);
    const emu = await emulate({ transcript: v6 });
    const raw = await pull(emu, 'mikrotik-routeros');
    expect(raw).toContain('/interface ethernet');
    expect(raw).toContain('name="oxidized" group=read');
    expect(emu.received).toEqual(['/export show-sensitive', '/export', '/user print detail without-paging']);
  });
});
