// From a received frame to stored evidence: the reader (header, platforms, device naming,
// create-vs-modify), secret removal, counters, then the batched writer. The listeners call
// `message` and `reject`; nothing thrown here reaches them.

import { redactBytes, redactSecrets } from '../../parsers/lib/secrets.js';
import { WHOLE_UTF8, type RawForm } from '../store/batch.js';
import { escapeLatin1, latin1Bytes } from '../store/raw-bytes.js';
import type { IngestWriter } from '../store/writer.js';
import type { AaaRecord, SyslogMessage, Transport } from '../types.js';
import type { Reader } from './reader.js';

/** A native accounting request (TACACS+, RADIUS) read into records by its receiver. */
export interface NativeMessage {
  transport: 'tacacs' | 'radius';
  source: string;
  /** The sender's canonical device name. */
  device: string;
  receivedAt: number;
  /** Event time (epoch ms) and the device's own stamp text, when it sent one. */
  time: number;
  timeText: string | undefined;
  /** The request rendered as text, secrets already redacted: the records' raw message. */
  raw: string;
  records: AaaRecord[];
}

/** The program a native request is counted and stored under, as a syslog line's APP-NAME. */
const NATIVE_PROGRAM = { tacacs: 'tacacs+', radius: 'radius' } as const;

export interface PipelineOptions {
  /** Keep every message, not only recognised ones. */
  storeAllMessages: boolean;
}

const MAX_NAME = 128;

/** Why only the start of a message was kept: an LF-framed TCP/TLS message, or a UDP datagram, over ingest.maxMessageBytes. */
export type Truncation = 'oversize-line' | 'oversize-datagram' | 'relp-truncated';

/** How much of a truncated message is also kept among the rejects, to show who sends them. */
const TRUNCATED_SAMPLE = 1024;

/** The bytes a frame's text stands for: its Latin-1 reading when it was not UTF-8. */
const bytesOf = (text: string, latin1: boolean): Buffer => (latin1 ? latin1Bytes(text) : Buffer.from(text));

// Counter names per transport, built once: a template string per message would be a new string
// to hash on every call.
const RECEIVED: Record<Transport, string> = {
  udp: 'received.udp', tcp: 'received.tcp', tls: 'received.tls', relp: 'received.relp', file: 'received.file', tacacs: 'received.tacacs', radius: 'received.radius',
};

export class Pipeline {
  constructor(
    readonly reader: Reader,
    private readonly writer: IngestWriter,
    private readonly options: PipelineOptions,
  ) {}

  /** One frame from a listener, already decoded; `truncated` when only its start arrived here, and why. */
  message(text: string, latin1: boolean, source: string | undefined, transport: Transport, receivedAt = Date.now(), truncated?: Truncation): void {
    // A UDP flood the store cannot keep up with: what would be read now would be dropped once read
    // (past the store's backlog), so it is counted and not read, and the reading thread's time goes
    // to the store instead (TCP and TLS senders are paused long before). Reading every datagram of
    // an aaa-only flood at twice the sustained rate kept 0.70× the sustained rate in records.
    // udp.ts holds what was posted while the store is behind, so this drops only what a close
    // hands over then.
    if (transport === 'udp' && this.writer.behind()) return this.writer.droppedUnread(RECEIVED.udp);
    try {
      this.handle(text, latin1, source, transport, receivedAt, truncated);
    } catch {
      this.writer.count('errors.pipeline');
      this.writer.reject('internal-error', bytesOf(redactSecrets(text), latin1), source, transport, receivedAt);
    }
  }

  /** Whatever is handed over now would be dropped: the store is past its backlog, or cannot be written. */
  storeBehind(): boolean {
    return this.writer.behind();
  }

  /**
   * UDP datagrams the receiving thread (udp-worker.ts) dropped unread while the store was behind:
   * counted as `message` counts those it drops.
   */
  droppedUnread(datagrams: number): void {
    this.writer.droppedUnread(RECEIVED.udp, datagrams);
  }

  /** UDP datagrams the kernel dropped while the receiving thread stopped reading because the store was behind. */
  kernelDroppedBehind(datagrams: number): void {
    this.writer.kernelDroppedBehind(datagrams);
  }

  /**
   * A native accounting request, read by its receiver: stored like a syslog line's records, with
   * its rendering as the raw message. Returns false when it could not be handed to the writer.
   */
  native(n: NativeMessage): boolean {
    try {
      const records = this.reader.resolve(n.records);
      if (records.length > 0) {
        this.writer.count('recognised.messages');
        this.writer.count('recognised.records', records.length);
      }
      if (records.length > 0 || this.options.storeAllMessages) this.writer.addMessage(nativeMessage(n), n.device, n.raw, records);
      this.writer.nativeRequest(n.transport, n.source, n.device, n.receivedAt, 'accepted');
      return true;
    } catch {
      this.writer.count('errors.pipeline');
      return false;
    }
  }

  /** Bytes that were no message and hold nothing to keep (a run of NULs in a file): counted only. */
  malformed(reason: string): void {
    this.writer.count(`malformed.${reason}`);
  }

  /** An input refused before it became a message (allow-list, oversize, framing): its sample is kept redacted too. */
  reject(reason: string, sample: Buffer, source: string | undefined, transport: Transport): void {
    this.writer.count(`rejected.${reason}`);
    this.writer.reject(reason, redactBytes(sample), source, transport, Date.now());
  }

  private handle(text: string, latin1: boolean, source: string | undefined, transport: Transport, receivedAt: number, truncated: Truncation | undefined): void {
    const { msg, device, records, unknown } = this.reader.read(text, latin1, source, transport, receivedAt);
    // Secrets are removed once, and only from a line that is kept in some form.
    const keep = records.length > 0 || msg.malformed !== undefined || unknown.length > 0 || truncated !== undefined || this.options.storeAllMessages;
    const redacted = keep ? redactSecrets(text) : '';
    // A frame that was not UTF-8 is kept as the escaped form of its bytes (src/store/raw-bytes.ts).
    const kept = latin1 && keep ? escapeLatin1(redacted) : redacted;
    this.writer.count(RECEIVED[transport]);
    if (msg.malformed) {
      this.writer.count(`malformed.${msg.malformed}`);
      this.writer.reject(msg.malformed, bytesOf(redacted, latin1), source, transport, receivedAt);
    }
    if (truncated) {
      this.writer.count(`malformed.${truncated}`);
      this.writer.reject(truncated, Buffer.from(bytesOf(redacted, latin1).subarray(0, TRUNCATED_SAMPLE)), source, transport, receivedAt);
    }
    if (latin1) this.writer.count('malformed.not-utf8');
    const counted = device.length > MAX_NAME ? device.slice(0, MAX_NAME) : device;
    if (records.length > 0) {
      this.writer.count('recognised.messages');
      this.writer.count('recognised.records', records.length);
    }
    const form: RawForm = latin1 || truncated ? { escaped: latin1, truncated: truncated !== undefined } : WHOLE_UTF8;
    if (records.length > 0 || this.options.storeAllMessages) this.writer.addMessage(msg, device, kept, records, form);
    const program = msg.appName ?? msg.tag ?? '-';
    this.writer.countTraffic(receivedAt, counted, program.length > MAX_NAME ? program.slice(0, MAX_NAME) : program, records.length > 0, source, source !== undefined || msg.hostname !== undefined);
    // A line whose header names no device names it in its body (a FortiGate's devname): that device
    // was heard from this address too. One whose header names a sender (tac_plus, ISE, a RADIUS
    // server) may report on other devices, its NASes, and is not heard as them; nor are a file's
    // records (`aaawatch import`), heard from no address.
    if (source !== undefined && msg.hostname === undefined) {
      for (const r of records) if (r.device !== device && r.device.length <= MAX_NAME) this.writer.heard(receivedAt, r.device, source);
    }
    for (const u of unknown) {
      this.writer.count('unknown.messages');
      const where = u.device === undefined ? device : this.reader.canonicalDevice(u.device);
      const example = latin1 ? escapeLatin1(redacted.slice(0, 4096)) : kept.slice(0, 4096);
      this.writer.unknown(where.slice(0, MAX_NAME), u.type.slice(0, MAX_NAME), example, receivedAt);
    }
  }
}

/** A native request in the shape the writer keeps messages in: no syslog header, its own time. */
function nativeMessage(n: NativeMessage): SyslogMessage {
  return {
    raw: n.raw, receivedAt: n.receivedAt, source: n.source, transport: n.transport, format: 'bare', malformed: undefined,
    latin1: false, pri: undefined, facility: undefined, severity: undefined, time: n.time, timeText: n.timeText,
    timeQuality: n.timeText === undefined ? 'received' : 'exact', clockMarker: undefined, hostname: n.device,
    appName: NATIVE_PROGRAM[n.transport], procId: undefined, msgId: undefined, sd: undefined, sequence: undefined, tag: undefined,
    message: n.raw,
  };
}
