// Everything a pull run needs, from the configuration: the inventory, credentials (refusing a
// credentials file others can read), the known_hosts file, the targets and a logger. Shared by
// `aaawatch pull` and whatever runs the schedules.

import { readFileSync } from 'node:fs';
import { platformById } from '../../parsers/index.js';
import { ConfigError } from '../config/load.js';
import type { Config } from '../config/schema.js';
import type { Logger } from '../log.js';
import { loadCredentials } from './credentials.js';
import { inventory } from './inventory-file.js';
import { parseKnownHosts, type KnownHostsEntry } from './known-hosts.js';
import { Limiter } from './limiter.js';
import type { PullStore } from './pull-store.js';
import type { PullContext, PullLeases } from './run.js';
import { startScheduler, type Scheduler } from './schedule.js';
import { resolveTargets, type Resolved } from './target.js';

export function loadKnownHosts(file: string | undefined): KnownHostsEntry[] {
  if (!file) return [];
  try {
    return parseKnownHosts(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError([`${file}: cannot read the known_hosts file: ${(err as NodeJS.ErrnoException).code ?? String(err)}`]);
  }
}

/** The devices to pull and why others are not, with every configuration problem found first. */
export function pullTargets(config: Config): Resolved {
  return resolveTargets(inventory(config.devices, config.pull), config.pull, loadCredentials(config.pull), platformById);
}

export function pullContext(config: Config, store: PullStore, log: Logger, onResult?: PullContext['onResult'], leases?: PullLeases): PullContext {
  return {
    store, log, pull: config.pull, knownHosts: loadKnownHosts(config.pull.knownHosts), limiter: new Limiter(config.pull.concurrency),
    ...(onResult ? { onResult } : {}),
    ...(leases ? { leases } : {}),
  };
}

/**
 * The scheduled pulls of a running collector (what `aaawatch serve` starts): every pullable
 * device on its schedule. Configuration mistakes throw here, before anything is scheduled.
 */
export function startPulls(config: Config, store: PullStore, log: Logger, onResult?: PullContext['onResult'], leases?: PullLeases): Scheduler {
  const { targets, skipped } = pullTargets(config);
  const scheduler = startScheduler(pullContext(config, store, log, onResult, leases), targets);
  for (const s of scheduler.schedules) log.info({ schedule: s.expression, devices: s.devices.length }, 'pull schedule running');
  if (skipped.length) log.info({ devices: skipped.length }, 'devices not pulled (pull: false, or a platform without configuration pulls)');
  return scheduler;
}
