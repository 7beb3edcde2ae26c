// Reading one frame into a message and its normalised records: header parsing, forwarder
// envelopes, platform recognition, device naming and create-vs-modify resolution. No I/O: `serve`
// stores what this returns, `parse` prints it.

import type { AaaRecord, SyslogMessage, Transport } from '../types.js';
import type { DeviceDirectory } from './devices.js';
import { readMessage } from './envelopes/index.js';
import type { Recogniser, UnknownType } from './recognise.js';
import type { AccountKnowledge } from './resolve.js';

export interface Reading {
  msg: SyslogMessage;
  /** The sending device's canonical name. */
  device: string;
  records: AaaRecord[];
  unknown: UnknownType[];
}

export class Reader {
  constructor(
    private readonly recognise: Recogniser,
    private readonly devices: DeviceDirectory,
    private readonly knowledge: AccountKnowledge,
  ) {}

  read(text: string, latin1: boolean, source: string | undefined, transport: Transport, receivedAt: number): Reading {
    const msg = readMessage(text, { receivedAt, source, transport, latin1, zoneFor: this.devices.zoneFor });
    const { records, unknown } = this.recognise(msg);
    const device = this.devices.canonical(msg.hostname, source);
    return { msg, device, records: records.length ? this.normalise(records) : records, unknown };
  }

  canonicalDevice(name: string): string {
    return this.devices.canonical(name, undefined);
  }

  /** Records read from a native accounting request, named and resolved like those of a syslog line. */
  resolve(records: AaaRecord[]): AaaRecord[] {
    return records.length ? this.normalise(records) : records;
  }

  /** Canonical device names, and `account.set` resolved to create or modify. */
  private normalise(records: AaaRecord[]): AaaRecord[] {
    return records.map((r) => {
      const device = this.devices.canonical(r.device, undefined);
      const named = device === r.device ? r : { ...r, device };
      return named.kind === 'account' ? this.knowledge.resolve(named) : named;
    });
  }
}
