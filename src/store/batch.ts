// What one ingest write carries: plain data only, so a batch can be handed to a worker thread
// (structured clone) as easily as to the store in the same thread.

import type { AaaRecord, SyslogMessage } from '../types.js';

/** A message to keep, with the records platforms read from it (none when every message is kept). */
export interface MessageRow {
  receivedAt: number;
  time: number;
  timeText: string | null;
  timeQuality: SyslogMessage['timeQuality'];
  source: string | null;
  transport: SyslogMessage['transport'];
  device: string;
  hostname: string | null;
  program: string | null;
  facility: number | null;
  severity: number | null;
  platform: string | null;
  /** Secrets already removed. */
  raw: string;
  records: AaaRecord[];
}

export interface TrafficRow {
  device: string;
  program: string;
  messages: number;
  recognised: number;
}

export interface RejectRow {
  at: number;
  source: string | null;
  transport: string;
  reason: string;
  raw: Uint8Array;
}

export interface UnknownRow {
  device: string;
  type: string;
  count: number;
  first: number;
  last: number;
  example: string;
}

export interface ActivityRow {
  device: string;
  source: string | null;
  first: number;
  last: number;
}

export interface IngestBatch {
  messages: MessageRow[];
  /** Traffic counted in `hour` (epoch hours) since the last batch. */
  hour: number;
  traffic: TrafficRow[];
  rejects: RejectRow[];
  unknowns: UnknownRow[];
  activity: ActivityRow[];
  /** Added to cumulative counters. */
  counters: Array<[string, number]>;
  /** Set to absolute values (kernel drop totals). */
  gauges: Array<[string, number]>;
}

export function isEmpty(b: IngestBatch): boolean {
  return !b.messages.length && !b.traffic.length && !b.rejects.length && !b.unknowns.length &&
    !b.activity.length && !b.counters.length && !b.gauges.length;
}
