// From the configuration to what a reconciliation needs: the roster (if one is configured), the
// inventory, and the run options. Shared by `aaawatch reconcile`, `aaawatch findings` and serve.

import { statSync } from 'node:fs';
import type { Config } from '../config/schema.js';
import { inventory } from '../pull/inventory-file.js';
import { InventoryNames } from './inventory-names.js';
import type { ReconcileOptions } from './run.js';
import { loadRoster, type Roster } from './roster.js';
import type { DeviceRef } from './scope.js';
import type { InventoryAddress } from './senders.js';

export interface ReconcileSetup {
  roster: Roster | undefined;
  devices: DeviceRef[];
  /** Inventory addresses, for the sender check. */
  addresses: InventoryAddress[];
}

function rosterFiles(config: Config): string[] {
  const r = config.reconcile.roster;
  return r === undefined ? [] : typeof r === 'string' ? [r] : r;
}

/** Reads the roster and the inventory; throws ConfigError naming file, line and field. */
export function reconcileSetup(config: Config): ReconcileSetup {
  const files = rosterFiles(config);
  const devices = inventory(config.devices, config.pull);
  return {
    roster: files.length ? loadRoster(files) : undefined,
    devices: devices.map((d) => ({ name: d.name, platform: d.platform, groups: d.groups })),
    addresses: devices.map((d) => ({ name: d.name, address: d.address, senders: d.senders })),
  };
}

/** Modification times of the roster files, to reload it when one changes. */
export function rosterStamp(config: Config): string {
  return rosterFiles(config)
    .map((f) => {
      try {
        return `${f}@${statSync(f).mtimeMs}`;
      } catch {
        return `${f}@missing`;
      }
    })
    .join('|');
}

export function reconcileOptions(config: Config, setup: ReconcileSetup, now: number): ReconcileOptions {
  const r = config.reconcile;
  return {
    roster: setup.roster,
    devices: setup.devices,
    dormantDays: r.dormantDays,
    silentHours: r.telemetry.silentHours,
    requiredChecks: r.telemetry.require,
    collectorAddresses: r.telemetry.collectorAddresses,
    skewMs: r.attributionSkewSeconds * 1000,
    now,
    senders: { inventory: setup.addresses, relays: config.ingest.relays },
  };
}

/** The setup with the inventory's host-name addresses resolved (a one-off run: `aaawatch reconcile`). */
export async function withInventoryNames(setup: ReconcileSetup, names = new InventoryNames()): Promise<ReconcileSetup> {
  await names.refresh(setup.addresses);
  return { ...setup, addresses: names.apply(setup.addresses) };
}
