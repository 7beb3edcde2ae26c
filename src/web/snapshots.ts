// The configuration diff a finding or a device page shows: between the two snapshots named, or
// between the one named and the one before it on the same device. Each engine reads the two
// snapshots (data/devices.ts, data/pg-devices.ts); the pair is checked and compared here.

import { snapshotDiff } from '../pull/diff.js';
import type { SnapshotRow } from '../store/pull.js';

export interface SnapshotPair {
  from: number;
  to: number;
  text: string;
}

/** The snapshots named: the latest, and the one before it when two or more are named (else the store finds it). */
export function pairIds(ids: readonly number[]): { from?: number; to: number } | undefined {
  const sorted = [...new Set(ids)].sort((a, b) => a - b);
  const to = sorted[sorted.length - 1];
  if (to === undefined) return undefined;
  return sorted.length >= 2 ? { from: sorted[sorted.length - 2]!, to } : { to };
}

/** The diff, when both snapshots exist and are this device's. */
export function snapshotPairOf(device: string, from: SnapshotRow | undefined, to: SnapshotRow | undefined): SnapshotPair | undefined {
  if (!from || !to || from.device !== device || to.device !== device) return undefined;
  return { from: from.id, to: to.id, text: snapshotDiff(from, to) };
}
