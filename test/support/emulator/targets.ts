// Pull targets and contexts pointed at emulated devices, for tests and the bench.

import { readdirSync } from 'node:fs';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { platformById } from '../../../parsers/index.js';
import { pullSchema, type DeviceConfig, type PullConfig } from '../../../src/config/inventory.js';
import type { Logger } from '../../../src/log.js';
import type { Credential } from '../../../src/pull/credentials.js';
import { Limiter } from '../../../src/pull/limiter.js';
import { sqlitePullStore } from '../../../src/pull/pull-store.js';
import type { PullContext } from '../../../src/pull/run.js';
import { Secret } from '../../../src/pull/secret.js';
import type { PullablePlatform, Target } from '../../../src/pull/target.js';
import type { Db } from '../../../src/store/db.js';
import { corpusPath } from '../corpus.js';
import { attemptPull } from '../../../src/pull/attempt.js';
import { digest, type Digest } from '../../../src/pull/digest.js';
import { EMULATOR_ENABLE, EMULATOR_PASSWORD, EMULATOR_USER, startEmulator } from './device.js';
import { MODEL_PLATFORM } from './recordings.js';
import type { Exchange, Transcript } from './transcript.js';

export { MODEL_PLATFORM } from './recordings.js';

/** Every recorded session in the corpus (`#simulation.yaml`, `#custom_simulation.yaml`), of any model. */
export function allCorpusTranscripts(): string[] {
  return readdirSync(corpusPath('ssh-sessions'))
    .filter((f) => /#(?:custom_)?simulation\.yaml$/.test(f))
    .sort();
}

/** Every recorded session of a model a platform claims (`parsers/<platform>/test/recordings.ts`). */
export function corpusTranscripts(): string[] {
  return allCorpusTranscripts().filter((f) => Object.hasOwn(MODEL_PLATFORM, f.split('#')[0]!));
}

export function emulatorCredential(overrides: Partial<Credential> = {}): Credential {
  return {
    name: 'emulator',
    username: EMULATOR_USER,
    password: new Secret(EMULATOR_PASSWORD),
    enableSecret: new Secret(EMULATOR_ENABLE),
    ...overrides,
  };
}

export function pullConfig(overrides: Partial<PullConfig> = {}): PullConfig {
  return { ...pullSchema.parse({}), retries: 0, retryDelaySeconds: 0.05, ...overrides };
}

export function emulatedTarget(
  port: number,
  platformId: string,
  o: { name?: string; credential?: Credential; timeouts?: Partial<Target['timeouts']>; device?: Partial<DeviceConfig>; legacy?: boolean; enable?: Target['enable'] } = {},
): Target {
  const platform = platformById(platformId) as PullablePlatform;
  return {
    device: { name: o.name ?? `emulated-${port}`, address: '127.0.0.1', port, platform: platformId, groups: [], pull: true, ...o.device },
    platform,
    credential: o.credential ?? emulatorCredential(),
    // Generous: two cores shared by every test file at once; the timeout tests set their own.
    timeouts: { connect: 15_000, login: 15_000, command: 15_000, total: 30_000, ...o.timeouts },
    enable: o.enable ?? (platform.ssh.enable ? 'auto' : 'none'),
    legacy: o.legacy ?? false,
    algorithms: {},
  };
}

/** A logger whose JSON lines are kept in `lines` (so tests can search them). */
export function capturingLogger(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { log: pino({ level: 'debug' }, sink), lines };
}

export function pullContext(db: Db, o: { pull?: Partial<PullConfig>; log?: Logger } = {}): PullContext {
  const pull = pullConfig(o.pull);
  return { store: sqlitePullStore(db), log: o.log ?? capturingLogger().log, pull, knownHosts: [], limiter: new Limiter(pull.concurrency) };
}

/**
 * One pull of a transcript through the emulator by a platform, as `serve` pulls: the text pulled,
 * what is kept of it (digest: accounts, redacted text, hash) and every command the device received.
 * For platform tests whose sessions are authored around real configuration text (no recording).
 */
export async function pullTranscript(
  platformId: string,
  transcript: Transcript,
  o: { extra?: Exchange[]; pageLines?: number } = {},
): Promise<{ raw: string; digest: Digest; received: string[] }> {
  const emu = await startEmulator({ transcript, extra: o.extra ?? [], ...(o.pageLines ? { pageLines: o.pageLines } : {}) });
  try {
    const target = emulatedTarget(emu.port, platformId);
    const pulled = await attemptPull(target, { trusted: [], revoked: [] }, { maxBytes: 16 << 20, maxLineLength: 65536, settleMs: 25 });
    return { raw: pulled.raw, digest: digest(target.platform, pulled.raw), received: [...emu.received] };
  } finally {
    await emu.close();
  }
}
