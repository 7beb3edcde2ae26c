// From a received frame to stored evidence: the reader (header, platforms, device naming,
// create-vs-modify), secret removal, counters, then the batched writer. The listeners call
// `message` and `reject`; nothing thrown here reaches them.

import { redactSecrets } from '../../parsers/lib/secrets.js';
import type { IngestWriter } from '../store/writer.js';
import type { Transport } from '../types.js';
import type { Reader } from './reader.js';

export interface PipelineOptions {
  /** Keep every message, not only recognised ones. */
  storeAllMessages: boolean;
}

const MAX_NAME = 128;

// Counter names per transport, built once: a template string per message would be a new string
// to hash on every call.
const RECEIVED: Record<Transport, string> = { udp: 'received.udp', tcp: 'received.tcp', tls: 'received.tls', file: 'received.file' };

export class Pipeline {
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
    // Secrets are removed once, and only from a line that is kept in some form.
    const kept = records.length > 0 || msg.malformed || unknown.length > 0 || this.options.storeAllMessages ? redactSecrets(text) : '';
    this.writer.count(RECEIVED[transport]);
    if (msg.malformed) {
      this.writer.count(`malformed.${msg.malformed}`);
      this.writer.reject(msg.malformed, Buffer.from(kept), source, transport, receivedAt);
    }
    if (latin1) this.writer.count('malformed.not-utf8');
    const counted = device.length > MAX_NAME ? device.slice(0, MAX_NAME) : device;
    if (records.length > 0) {
      this.writer.count('recognised.messages');
      this.writer.count('recognised.records', records.length);
    }
    if (records.length > 0 || this.options.storeAllMessages) this.writer.addMessage(msg, device, kept, records);
    const program = msg.appName ?? msg.tag ?? '-';
    this.writer.countTraffic(receivedAt, counted, program.length > MAX_NAME ? program.slice(0, MAX_NAME) : program, records.length > 0, source);
    for (const u of unknown) {
      this.writer.count('unknown.messages');
      const where = u.device === undefined ? device : this.reader.canonicalDevice(u.device);
      this.writer.unknown(where.slice(0, MAX_NAME), u.type.slice(0, MAX_NAME), kept.slice(0, 4096), receivedAt);
    }
  }
}
