// The configuration diff a finding or a device page shows: between the two snapshots named, or
// between the one named and the one before it on the same device.

import { snapshotDiff } from '../pull/diff.js';
import type { Db } from '../store/db.js';
import { getSnapshot } from '../store/pull.js';

export function snapshotPair(db: Db, device: string, ids: readonly number[]): { from: number; to: number; text: string } | undefined {
  const sorted = [...new Set(ids)].sort((a, b) => a - b);
  const toId = sorted[sorted.length - 1];
  if (toId === undefined) return undefined;
  const fromId =
    sorted.length >= 2
      ? sorted[sorted.length - 2]!
      : (db.prepare('SELECT id FROM snapshots WHERE device = ? AND id < ? ORDER BY id DESC LIMIT 1').get(device, toId) as { id: number } | undefined)?.id;
  if (fromId === undefined) return undefined;
  const from = getSnapshot(db, fromId);
  const to = getSnapshot(db, toId);
  if (!from || !to || from.device !== device || to.device !== device) return undefined;
  return { from: from.id, to: to.id, text: snapshotDiff(from, to) };
}
