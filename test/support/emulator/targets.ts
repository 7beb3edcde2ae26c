// Pull targets and contexts pointed at emulated devices, for tests and the bench.

import { readdirSync } from 'node:fs';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { platformById } from '../../../parsers/index.js';
import { pullSchema, type DeviceConfig, type PullConfig } from '../../../src/config/inventory.js';
import type { Logger } from '../../../src/log.js';
import type { Credential } from '../../../src/pull/credentials.js';
import { Limiter } from '../../../src/pull/limiter.js';
import type { PullContext } from '../../../src/pull/run.js';
import { Secret } from '../../../src/pull/secret.js';
import type { PullablePlatform, Target } from '../../../src/pull/target.js';
import type { Db } from '../../../src/store/db.js';
import { corpusPath } from '../corpus.js';
import { EMULATOR_ENABLE, EMULATOR_PASSWORD, EMULATOR_USER } from './device.js';
import type { Exchange } from './transcript.js';

/** Oxidized's model name → aaawatch's platform. */
export const MODEL_PLATFORM: Record<string, string> = {
  ios: 'cisco-ios',
  nxos: 'cisco-nxos',
  eos: 'arista-eos',
  asa: 'cisco-asa',
  junos: 'juniper-junos',
  fortigate: 'fortinet-fortios',
  routeros: 'mikrotik-routeros',
};

/**
 * Oxidized's models whose recordings are in the corpus but whose platform is not written yet
 * (issue #13), with the product each records (docs/notes/platforms.md has their grammar). Their
 * recordings wait in ssh-sessions/ and are not pulled; a model moves to MODEL_PLATFORM with its
 * platform.
 */
export const MODEL_PENDING: Record<string, string> = {
  aoscx: 'HPE Aruba AOS-CX',
  aosw: 'Aruba AOS-W (mobility controller)',
  arubainstant: 'Aruba Instant (IAP)',
  cumulus: 'NVIDIA Cumulus Linux',
  firelinuxos: 'Cisco Firepower Threat Defense (FTD)',
  fortios: 'Fortinet FortiManager (the one fortios recording is an FMG-VM64)',
  h3c: 'H3C Comware',
  opnsense: 'OPNsense',
  pfsense: 'pfSense',
  sonicos: 'SonicWall SonicOS',
  vyos: 'VyOS',
};

/** Every recorded session in the corpus (`#simulation.yaml`, `#custom_simulation.yaml`), of any model. */
export function allCorpusTranscripts(): string[] {
  return readdirSync(corpusPath('ssh-sessions'))
    .filter((f) => /#(?:custom_)?simulation\.yaml$/.test(f))
    .sort();
}

/** Every recorded session of a model aaawatch pulls (see MODEL_PLATFORM). */
export function corpusTranscripts(): string[] {
  return allCorpusTranscripts().filter((f) => Object.hasOwn(MODEL_PLATFORM, f.split('#')[0]!));
}

/**
 * What `/user print detail without-paging` answers on RouterOS 7. The recordings do not include
 * that command (Oxidized does not send it), so this answer is written for the tests, in the
 * layout RouterOS prints: an index, flags, an optional `;;;` comment, then properties.
 */
export const ROUTEROS_USERS: Exchange = {
  command: '/user print detail without-paging',
  response: [
    'Flags: X - disabled',
    ' 0   ;;; system default user',
    '     name="admin" group=full address="" last-logged-in=2025-05-30 11:07:28',
    '     inactivity-timeout=10m inactivity-policy=none',
    '',
    ' 1   name="oxidized" group=read address=192.0.2.0/24',
    '     last-logged-in=2025-05-30 11:07:20 inactivity-timeout=10m inactivity-policy=none',
    '',
    ' 2 X name="olduser" group=write address="" last-logged-in=never inactivity-timeout=10m',
    '     inactivity-policy=none',
    '',
  ].join('\n'),
};

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
  return { db, log: o.log ?? capturingLogger().log, pull, knownHosts: [], limiter: new Limiter(pull.concurrency) };
}
