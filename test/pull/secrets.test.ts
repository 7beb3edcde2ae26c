// A password, an enable secret and a key passphrase aaawatch knows, and secrets in a device's
// configuration, must never reach the database file, a log line, a result or an error: pulls that
// fail in every way (wrong password, refused enable, changed host key, timeout) and one that
// succeeds over a configuration full of them are run, then every byte written is searched.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { attemptPull } from '../../src/pull/attempt.js';
import { pullDevice, type DeviceResult } from '../../src/pull/run.js';
import { Secret } from '../../src/pull/secret.js';
import { openDatabase } from '../../src/store/db.js';
import { corpusPath } from '../support/corpus.js';
import { EMULATOR_ENABLE, hostKey, startEmulator, type RunningEmulator } from '../support/emulator/device.js';
import { capturingLogger, emulatedTarget, emulatorCredential, pullContext } from '../support/emulator/targets.js';
import { loadTranscript } from '../support/emulator/transcript.js';
import { tempDir } from '../support/temp.js';

const KNOWN = 'Known-Secret-Pa55';
const CONFIG_SECRETS = ['Config-Clear-Pa55', 'Comm-Str1ng-9', 'Tac-Key-77'];
const IOS = loadTranscript(corpusPath('ssh-sessions', 'ios#C9200L-24P-4G_17.09.04a#simulation.yaml'));

const running: RunningEmulator[] = [];
afterAll(async () => {
  for (const e of running) await e.close();
});

describe('secrets never leave memory', () => {
  it('nothing of them in the database file, the logs, the results or the errors', async () => {
    const dir = tempDir('aaawatch-secrets-');
    const db = openDatabase(join(dir, 'aaawatch.db'));
    const { log, lines } = capturingLogger();
    const ctx = pullContext(db, { log, pull: { retries: 1, retryDelaySeconds: 0.01, failuresBeforeFinding: 1 } });
    const results: DeviceResult[] = [];
    const errors: string[] = [];

    // The device's configuration holds secrets of its own.
    const secretConfig = {
      ...IOS,
      exchanges: IOS.exchanges.map((e) =>
        e.command === 'show running-config'
          ? {
              ...e,
              response: e.response.replace(
                '!\ntransceiver type all',
                `username ops privilege 15 password 0 ${CONFIG_SECRETS[0]}\nsnmp-server community ${CONFIG_SECRETS[1]} RO\ntacacs-server key ${CONFIG_SECRETS[2]}\nusername legacy password 0 ${KNOWN}\n!\ntransceiver type all`,
              ),
            }
          : e,
      ),
    };
    const good = await startEmulator({ transcript: secretConfig, enableSecret: EMULATOR_ENABLE });
    const strictEnable = await startEmulator({ transcript: IOS, enableSecret: EMULATOR_ENABLE });
    const hanging = await startEmulator({ transcript: IOS, hang: 'command' });
    const rekeyed = await startEmulator({ transcript: IOS, hostKey: hostKey('ed25519', true) });
    running.push(good, strictEnable, hanging, rekeyed);

    const known = new Secret(KNOWN);
    const cases = [
      // Wrong password (the device expects another): every auth method tried with it.
      emulatedTarget(good.port, 'cisco-ios', { name: 'wrong-password', credential: emulatorCredential({ password: known, passphrase: known }) }),
      // Enable secret refused.
      emulatedTarget(strictEnable.port, 'cisco-ios', { name: 'wrong-enable', credential: emulatorCredential({ enableSecret: known }) }),
      // No answer to the configuration command.
      emulatedTarget(hanging.port, 'cisco-ios', { name: 'hangs', credential: emulatorCredential({ enableSecret: known }), timeouts: { command: 300 } }),
      // Succeeds, over a configuration with secrets (one of them is the known password itself).
      emulatedTarget(good.port, 'cisco-ios', { name: 'good', credential: emulatorCredential() }),
    ];
    for (const t of cases) results.push(await pullDevice(ctx, t));
    // Then the same device presents another host key.
    results.push(await pullDevice(ctx, emulatedTarget(rekeyed.port, 'cisco-ios', { name: 'good', credential: emulatorCredential({ enableSecret: known }) })));
    for (const t of cases.slice(0, 3)) {
      await attemptPull(t, { trusted: [], revoked: [] }, { maxBytes: 1 << 20, maxLineLength: 65536, settleMs: 25 }).catch((e: unknown) => {
        errors.push(String(e), (e as Error).message, (e as Error).stack ?? '', JSON.stringify(e));
      });
    }

    expect(results.map((r) => [r.device, r.outcome, r.failure])).toEqual([
      ['wrong-password', 'failed', 'auth'],
      ['wrong-enable', 'failed', 'enable'],
      ['hangs', 'failed', 'timeout'],
      ['good', 'changed', undefined],
      ['good', 'failed', 'host-key-changed'],
    ]);
    expect(errors.length).toBe(12);
    db.close();

    const haystacks: Array<[string, string]> = [
      ['logs', lines.join('')],
      ['results', JSON.stringify(results)],
      ['errors', errors.join('\n')],
    ];
    for (const f of readdirSync(dir)) {
      const bytes = readFileSync(join(dir, f));
      haystacks.push([`${f} (bytes)`, bytes.toString('latin1')], [`${f} (utf16)`, bytes.toString('utf16le')]);
    }
    expect(existsSync(join(dir, 'aaawatch.db'))).toBe(true);
    for (const [where, text] of haystacks) {
      for (const secret of [KNOWN, EMULATOR_ENABLE, ...CONFIG_SECRETS]) {
        expect(text.includes(secret), `${secret} found in ${where}`).toBe(false);
      }
    }
    // The pulls did write: the stored configuration is there, redacted.
    const stored = openDatabase(join(dir, 'aaawatch.db'), { readonly: true });
    const config = (stored.prepare('SELECT config FROM snapshots').get() as { config: string }).config;
    stored.close();
    expect(config).toContain('username ops privilege 15 password 0 <redacted>');
    expect(config).toContain('snmp-server community <redacted> RO');
  });
});
