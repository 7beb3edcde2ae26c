// Which device a native accounting request is, and which inventory device it names without being
// it (the sender check for TACACS+ and RADIUS, issue 15). The key or secret is bound to the
// sender's address, so the sender is the device (the inventory device at that address or listing
// it in its `senders`), unless it is configured as a RADIUS proxy
// (`ingest.radius.secrets[].proxy`): then the NAS its requests name is (NAS-Identifier, else
// NAS-IP-Address / NAS-IPv6-Address). A sender that is no proxy and names an inventory device that
// is not itself has its records filed under itself, and the claim is kept (`claimed`): the store
// makes it one of that device's senders, which reconciliation's sender check flags when its address
// is not the device's (sender-mismatch). A name the inventory does not know is never a device: it
// is an unverified sender (src/web/data/devices.ts).

import type { DeviceConfig } from '../../config/inventory.js';
import { canonicalAddress, createAllowList, plainAddress, type AllowList } from '../allow.js';
import { DeviceDirectory } from '../devices.js';
import { printable } from '../../reconcile/text.js';

export interface NativeDevice {
  /** The device its records are filed under. */
  device: string;
  /** Its inventory platform, when it is an inventory device. */
  platform: string | undefined;
  /** An inventory device the request named but is not filed under (the sender is not its proxy). */
  claimed: string | undefined;
}

/** Sender addresses whose answers are kept; beyond this the tables are cleared (as the secret table's). */
const CACHE_MAX = 10_000;

export class NativeDevices {
  private readonly directory: DeviceDirectory;
  private readonly proxies: AllowList;
  /** Devices with further addresses they send from (`senders`: a `radius source-interface` loopback). */
  private readonly alsoFrom: Array<{ device: DeviceConfig; from: AllowList }>;
  /** Per sender address, the proxy answer and the inventory device it is (null: none): one lookup each a request. */
  private readonly proxyOf = new Map<string, boolean>();
  private readonly clientOf = new Map<string, DeviceConfig | null>();

  /** `proxies`: addresses and CIDRs of senders configured as RADIUS proxies. */
  constructor(devices: readonly DeviceConfig[], proxies: readonly string[]) {
    this.directory = new DeviceDirectory(devices, 'UTC');
    this.proxies = proxies.length ? createAllowList(proxies) : () => false;
    this.alsoFrom = devices.filter((d) => d.senders?.length).map((d) => ({ device: d, from: createAllowList(d.senders!) }));
  }

  /** The inventory device sending from `source`: at its inventory address, or one of its listed senders. */
  private client(source: string): DeviceConfig | undefined {
    let c = this.clientOf.get(source);
    if (c === undefined) {
      c = this.directory.atAddress(source) ?? this.alsoFrom.find((a) => a.from(source))?.device ?? null;
      if (this.clientOf.size >= CACHE_MAX) this.clientOf.clear();
      this.clientOf.set(source, c);
    }
    return c ?? undefined;
  }

  private isProxy(source: string): boolean {
    let p = this.proxyOf.get(source);
    if (p === undefined) {
      p = this.proxies(source);
      if (this.proxyOf.size >= CACHE_MAX) this.proxyOf.clear();
      this.proxyOf.set(source, p);
    }
    return p;
  }

  /**
   * The device a request from `source` is, naming the NAS `identifier` (NAS-Identifier) and
   * `address` (NAS-IP-Address or NAS-IPv6-Address as text) when it names one (RADIUS; TACACS+ names none).
   */
  resolve(source: string, identifier?: string, address?: string): NativeDevice {
    const d = this.directory;
    const client = this.client(source);
    if (identifier === undefined && address === undefined) return { device: client?.name ?? plainAddress(source), platform: client?.platform, claimed: undefined };
    const target = (identifier !== undefined ? d.named(identifier) : undefined) ?? (address !== undefined ? d.atAddress(address) : undefined);
    if (this.isProxy(source)) {
      if (target) return { device: target.name, platform: target.platform, claimed: undefined };
      // A NAS the inventory does not know, relayed: its name (an unverified sender), as it gave it.
      return { device: identifier !== undefined ? nasName(identifier) : canonicalAddress(address!), platform: undefined, claimed: undefined };
    }
    if (client) return { device: client.name, platform: client.platform, claimed: target !== undefined && target !== client ? target.name : undefined };
    if (target) return { device: plainAddress(source), platform: undefined, claimed: target.name };
    // A sender outside the inventory naming itself: that name, as a syslog hostname is (an unverified sender).
    return { device: identifier !== undefined ? nasName(identifier) : plainAddress(source), platform: undefined, claimed: undefined };
  }
}

/**
 * A NAS-Identifier as a device name: as sent, but with control and invisible characters written
 * `\u{…}`. A syslog hostname never holds them (the header reader refuses them); a NAS-Identifier
 * may (`nas\x1b[2J\nforged-row` wrote a terminal escape and a line of its own into `aaawatch stats`).
 */
const nasName = (identifier: string): string => printable(identifier, Infinity);
