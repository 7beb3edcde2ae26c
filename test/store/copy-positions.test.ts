// SQLite's reconciliation positions in PostgreSQL's names (`aaawatch migrate`): the end-to-end
// behaviour (nothing SQLite judged raised again, a later record raised) is
// test/store/pg-commands.test.ts's; this holds the mapping of every name.

import { describe, expect, it } from 'vitest';
import { translatePositions } from '../../src/store/pg/copy-positions.js';

describe('translatePositions', () => {
  it('gives each SQLite position its PostgreSQL meaning for the collector, and leaves what has none', () => {
    const seqOf = (id: number): number => id - 20_000;
    expect(
      translatePositions(
        { 'events.created': 23_000, 'senders.seen': 1_764_000_000_123, 'changes.judged': 7, 'history.alerted': 41, 'pulls.seen': 3, 'pulls.vanished': 5, 'something.new': 9 },
        'site-a',
        seqOf,
      ),
    ).toEqual({
      positions: { 'events.created@site-a': 3_000, 'senders.seen@site-a': 1_764_000_000_123, 'changes.judged': 7, 'history.alerted': 41, 'pulls.vanished': 5 },
      left: ['pulls.seen', 'something.new'],
    });
  });

  it('an empty state stays empty (the leader starts account-created where the chain ends)', () => {
    expect(translatePositions({}, 'site-a', () => 0)).toEqual({ positions: {}, left: [] });
  });
});
