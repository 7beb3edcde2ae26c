// Which inventory device a message is from: by sender address, or by the hostname it carries
// (exact; its short name when the device logs an FQDN; the one inventory FQDN whose first label it
// is, when the inventory names devices by FQDN and the device logs its short hostname, as IOS's
// `logging origin-id hostname` and most devices' syslog do; an address, written any way, as a relay
// writes its sender's: `::ffff:192.0.2.12`, `2001:DB8:0:0:0:0:0:6`; one of the `logNames` the
// inventory lists for it, as a FortiGate's `devname` may differ from its inventory name). Unknown
// senders keep their own name.

import type { DeviceConfig } from '../config/inventory.js';
import { isIP } from 'node:net';
import { canonicalAddress, plainAddress } from './allow.js';

export class DeviceDirectory {
  private byAddress = new Map<string, DeviceConfig>();
  private byName = new Map<string, DeviceConfig>();
  /** Inventory FQDNs by their first label; null where two share it (the short name names neither). */
  private readonly byFirstLabel: ReadonlyMap<string, DeviceConfig | null>;

  constructor(
    devices: readonly DeviceConfig[],
    private readonly defaultZone: string,
  ) {
    for (const d of devices) {
      this.byAddress.set(canonicalAddress(d.address), d);
      this.byName.set(d.name.toLowerCase(), d);
    }
    // The names it logs under (a FortiGate's devname): after every inventory name, which the
    // configuration's check keeps them from clashing with (src/config/inventory.ts logNameClashes).
    for (const d of devices) for (const n of d.logNames ?? []) if (!this.byName.has(n.toLowerCase())) this.byName.set(n.toLowerCase(), d);
    this.byFirstLabel = firstLabels(devices);
  }

  private find(name: string | undefined, source: string | undefined): DeviceConfig | undefined {
    if (this.byName.size === 0) return undefined;
    if (name !== undefined) {
      const lower = name.toLowerCase();
      const d = this.byName.get(lower) ?? this.atAddress(name) ?? this.shortNamed(lower);
      if (d) return d;
    }
    // Only a message that names no device is its sender address's device: a name the inventory does
    // not know, from an inventory device's address, is that name's (its records are filed under it,
    // and it is an unverified sender), not the inventory device's, which would look heard.
    return source === undefined || name !== undefined ? undefined : this.byAddress.get(plainAddress(source));
  }

  /**
   * The inventory name for a device named or addressed this way, else the name as given — an IPv6
   * address written as one spelling (`::ffff:192.0.2.12` → `192.0.2.12`, `2001:DB8:0::6` →
   * `2001:db8::6`), so a device an AAA server names by address in either form is one device, not two.
   */
  canonical(name: string | undefined, source: string | undefined): string {
    const d = this.find(name, source);
    if (d) return d.name;
    // canonicalAddress leaves a name that is no IPv6 address as it is; the `:` test keeps hostnames off it.
    if (name !== undefined) return name.includes(':') ? canonicalAddress(name) : name;
    return source === undefined ? 'unknown' : plainAddress(source);
  }

  /** The inventory device at this address (any spelling: IPv6 compressed or not, IPv4-mapped), if any. */
  atAddress(address: string): DeviceConfig | undefined {
    return this.byAddress.get(plainAddress(address)) ?? (address.includes(':') ? this.byAddress.get(canonicalAddress(address)) : undefined);
  }

  /** The inventory device with this name (or short name, as `find` reads one), if any. */
  named(name: string): DeviceConfig | undefined {
    const lower = name.toLowerCase();
    return this.byName.get(lower) ?? this.shortNamed(lower);
  }

  /**
   * The device a name (lower case) names by short name: an FQDN whose first label is an inventory
   * name, or a short name that is the first label of exactly one inventory FQDN (the pulls file
   * under `core-sw1.example.net`, the device logs `core-sw1`: without this its records were another,
   * unverified device's and its accounts appeared unlogged on the inventory's).
   */
  private shortNamed(lower: string): DeviceConfig | undefined {
    const dot = lower.indexOf('.');
    if (dot < 0) return this.byFirstLabel.get(lower) ?? undefined;
    return dot > 0 ? this.byName.get(lower.slice(0, dot)) : undefined;
  }

  /** IANA zone for stamps without one: the device's own, else the configured default. */
  zoneFor = (hostname: string | undefined, source: string | undefined): string | undefined => {
    const zone = this.find(hostname, source)?.zone ?? this.defaultZone;
    return zone === 'UTC' ? undefined : zone;
  };
}

/**
 * Inventory FQDNs (`core-sw1.example.net`, not an address) by their first label, lower case, for a
 * device that logs its short hostname; null where two share the label (it names neither).
 */
export function firstLabels<T extends string | { name: string }>(devices: Iterable<T>): Map<string, T | null> {
  const byLabel = new Map<string, T | null>();
  for (const d of devices) {
    const lower = (typeof d === 'string' ? d : d.name).toLowerCase();
    const dot = lower.indexOf('.');
    if (dot <= 0 || isIP(lower) !== 0) continue;
    const label = lower.slice(0, dot);
    byLabel.set(label, byLabel.has(label) ? null : d);
  }
  return byLabel;
}
