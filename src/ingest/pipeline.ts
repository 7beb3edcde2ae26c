// From a received frame to stored evidence: the reader (header, platforms, device naming,
// create-vs-modify), secret removal, counters, then the batched writer. The listeners call
// `message` and `reject`; nothing thrown here reaches them.

import { redactSecrets } from '../../parsers/lib/secrets.js';
import type { IngestWriter } from '../store/writer.js';
import type { SyslogMessage, Transport } from '../types.js';
import type { Reader } from './reader.js';

export interface PipelineOptions {
  /** Keep every message, not only recognised ones. */
  storeAllMessages: boolean;
}

/** Distinct programs counted per device and hour before the rest fold into `(other)`: spoofed names must not grow the table without bound. */
const MAX_PROGRAMS_PER_DEVICE = 200;
const MAX_DEVICES_PER_HOUR = 20_000;
const MAX_NAME = 128;

export class Pipeline {
  private hour = -1;
  private programsSeen = new Map<string, Set<string>>();

  constructor(
    readonly reader: Reader,
    private readonly writer: IngestWriter,
    private readonly options: PipelineOptions,
  ) {}

  /** One frame from a listener, already decoded. */
  message(text: string, latin1: boolean, source: string | undefined, transport: Transport, receivedAt = Date.now()): void {
    try {
      this.handle(text, latin1, source, transport, receivedAt);
    } catch {
      this.writer.count('errors.pipeline');
      this.writer.reject('internal-error', Buffer.from(redactSecrets(text)), source, transport, receivedAt);
    }
  }

  /** An input refused before it became a message (allow-list, oversize, framing). */
  reject(reason: string, sample: Buffer, source: string | undefined, transport: Transport): void {
    this.writer.count(`rejected.${reason}`);
    this.writer.reject(reason, sample, source, transport, Date.now());
  }

  private handle(text: string, latin1: boolean, source: string | undefined, transport: Transport, receivedAt: number): void {
    const { msg, device, records, unknown } = this.reader.read(text, latin1, source, transport, receivedAt);
    this.writer.count(`received.${transport}`);
    if (msg.malformed) {
      this.writer.count(`malformed.${msg.malformed}`);
      this.writer.reject(msg.malformed, Buffer.from(redactSecrets(text)), source, transport, receivedAt);
    }
    if (latin1) this.writer.count('malformed.not-utf8');
    const countedDevice = this.bounded(device, msg, receivedAt);
    this.writer.deviceSeen(countedDevice[0], source, receivedAt);
    if (records.length > 0) {
      this.writer.count('recognised.messages');
      this.writer.count('recognised.records', records.length);
      this.writer.addMessage(msg, device, redactSecrets(text), records);
    } else if (this.options.storeAllMessages) {
      this.writer.addMessage(msg, device, redactSecrets(text), records);
    }
    this.writer.countTraffic(receivedAt, countedDevice[0], countedDevice[1], records.length > 0);
    for (const type of unknown) {
      this.writer.count('unknown.messages');
      this.writer.unknown(device, type.slice(0, MAX_NAME), redactSecrets(text).slice(0, 4096), receivedAt);
    }
  }

  private bounded(device: string, msg: SyslogMessage, at: number): [string, string] {
    const hour = Math.floor(at / 3_600_000);
    if (hour !== this.hour) {
      this.hour = hour;
      this.programsSeen.clear();
    }
    const program = (msg.appName ?? msg.tag ?? '-').slice(0, MAX_NAME);
    let d = device.length > MAX_NAME ? device.slice(0, MAX_NAME) : device;
    let seen = this.programsSeen.get(d);
    if (!seen) {
      if (this.programsSeen.size >= MAX_DEVICES_PER_HOUR) {
        d = '(other)';
        seen = this.programsSeen.get(d) ?? new Set();
      } else seen = new Set();
      this.programsSeen.set(d, seen);
    }
    if (seen.has(program)) return [d, program];
    if (seen.size >= MAX_PROGRAMS_PER_DEVICE) return [d, '(other)'];
    seen.add(program);
    return [d, program];
  }
}
