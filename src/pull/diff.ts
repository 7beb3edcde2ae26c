// A unified diff between two stored snapshots of a device, as `diff -u` would print it.

import { createTwoFilesPatch, FILE_HEADERS_ONLY } from 'diff';
import type { SnapshotRow } from '../store/pull.js';

function label(s: SnapshotRow): string {
  return `${s.device} snapshot ${s.id}`;
}

export function snapshotDiff(from: SnapshotRow, to: SnapshotRow, context = 3): string {
  return createTwoFilesPatch(label(from), label(to), from.config, to.config, new Date(from.taken_at).toISOString(), new Date(to.taken_at).toISOString(), { context, headerOptions: FILE_HEADERS_ONLY });
}

/** A device's first snapshot as a diff from nothing: its whole configuration, every line added. */
export function firstSnapshotDiff(to: SnapshotRow): string {
  return createTwoFilesPatch('/dev/null', label(to), '', to.config, undefined, new Date(to.taken_at).toISOString(), { headerOptions: FILE_HEADERS_ONLY });
}
