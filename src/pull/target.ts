// What one device's pull needs, resolved from the inventory, its platform and its credential:
// every mistake in that setup is found before any connection is made.

import { ConfigError } from '../config/load.js';
import type { DeviceConfig, PullConfig } from '../config/inventory.js';
import type { Platform, SessionProfile } from '../types.js';
import type { AlgorithmLists } from './algorithms.js';
import type { Credential } from './credentials.js';

/** A platform that can be pulled: it has a session profile, reads accounts and redacts. */
export type PullablePlatform = Platform & { ssh: SessionProfile; accounts: NonNullable<Platform['accounts']>; redact: NonNullable<Platform['redact']> };

export interface Target {
  device: DeviceConfig;
  platform: PullablePlatform;
  credential: Credential;
  /** Milliseconds. */
  timeouts: { connect: number; login: number; command: number; total: number };
  enable: 'none' | 'auto';
  legacy: boolean;
  algorithms: AlgorithmLists;
}

export interface Resolved {
  targets: Target[];
  /** Devices that are not pulled, and why (ingest only, or a platform without SSH pulls). */
  skipped: Array<{ device: string; reason: string }>;
}

function pullable(p: Platform | undefined): p is PullablePlatform {
  return p?.ssh !== undefined && p.accounts !== undefined && p.redact !== undefined;
}

export function resolveTargets(
  devices: readonly DeviceConfig[],
  pull: PullConfig,
  credentials: ReadonlyMap<string, Credential>,
  platformById: (id: string) => Platform | undefined,
): Resolved {
  const targets: Target[] = [];
  const skipped: Resolved['skipped'] = [];
  const problems: string[] = [];
  for (const device of devices) {
    if (!device.pull) {
      skipped.push({ device: device.name, reason: 'pull: false' });
      continue;
    }
    const platform = platformById(device.platform);
    if (!platform) {
      problems.push(`device ${device.name}: unknown platform ${device.platform}`);
      continue;
    }
    if (!pullable(platform)) {
      skipped.push({ device: device.name, reason: `${platform.name} has no configuration pull` });
      continue;
    }
    const credentialName = device.credential ?? pull.defaultCredential;
    const credential = credentials.get(credentialName);
    if (!credential) {
      problems.push(`device ${device.name}: no credential named ${credentialName} (define it in pull.credentials or the credentials file)`);
      continue;
    }
    const t = { ...pull.timeouts, ...device.ssh?.timeouts };
    const enable = device.ssh?.enable ?? platform.ssh.enable ?? 'none';
    targets.push({
      device,
      platform,
      credential,
      timeouts: { connect: t.connect * 1000, login: t.login * 1000, command: t.command * 1000, total: t.total * 1000 },
      enable: enable === 'none' ? 'none' : 'auto',
      legacy: device.ssh?.legacy ?? false,
      algorithms: device.ssh?.algorithms ?? {},
    });
  }
  if (problems.length) throw new ConfigError(problems);
  return { targets, skipped };
}
