// What reconciliation reads, as plain data: devices (inventory joined with what pulls and syslog
// say about them), the accounts they hold, and stored records. src/reconcile/store.ts fills these
// from SQLite; everything else in src/reconcile works on them without I/O.

import type { AuditCheck } from './auditability.js';
import type { DeviceRef } from './scope.js';

export interface DeviceInfo extends DeviceRef {
  /** Last successful pull (epoch ms); undefined when never pulled, so its accounts are unknown. */
  lastPull?: number;
  /** The latest snapshot. */
  snapshotId?: number;
  /** First and last syslog message received from it. */
  firstSyslog?: number;
  lastSyslog?: number;
  /** Last TACACS+ or RADIUS accounting request it sent here and that was accepted (native accounting). */
  lastNative?: number;
  /** Auditability read from the latest snapshot. */
  audit?: AuditCheck[];
}

/** An account a device holds now (a row of `accounts` not removed), with its last login on that device. */
export interface PresentAccount {
  id: number;
  device: string;
  name: string;
  privilege?: string;
  roles: string[];
  firstSeen: number;
  lastSeen: number;
  firstSnapshotId: number;
  lastSnapshotId: number;
  lastLogin?: LastLogin;
}

/** A stored normalised record (a row of `events`) as reconciliation reads it. */
export interface StoredRecord {
  id: number;
  kind: 'account' | 'command' | 'session';
  action: string;
  time: number;
  device: string;
  platform: string;
  actor?: string;
  actorAddress?: string;
  target?: string;
  privilege?: string;
  role?: string;
  group?: string;
  path?: string;
  technique?: string;
  command?: string;
  /**
   * When it was received here, set only on a record picked by it: its device's stamp fell outside
   * the span of records that may explain a change, its receipt inside (a device clock off by more
   * than reconcile.attributionSkewSeconds, or logging local time without a zone).
   */
  receivedAt?: number;
}

/** The latest login (or AAA session start) record of a user on a device. */
export interface LastLogin {
  time: number;
  eventId: number;
}

/** What is known of an account's creation, from its attribution (src/reconcile/attribution.ts). */
export interface Origin {
  /** A record explains it (false: it appeared between pulls with none). */
  explained: boolean;
  at?: number;
  actor?: string;
  actorAddress?: string;
  path?: string;
  /** The change window it fell in. */
  window?: string;
  sentence: string;
  events: number[];
}

export const loginKey = (device: string, account: string): string => `${device}\u0000${account}`;
