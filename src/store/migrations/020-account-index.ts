// events_device_target kept as a table of the store's own, filled in sorted runs as events_by_device,
// events_by_actor and events_by_login are (migrations 017, 018; src/store/index-moves.ts; issue 14):
// an account record took an entry in the index at insert time, on a page of its own once records
// name more (device, account) pairs than a commit has rows — 0.158 of the 0.525 WAL pages a record
// on aaa-only, the most of any part of the store (BENCHMARKS.md). The table holds the account
// records (the only records with a target, src/store/batch.ts) and carries their action, so the
// population's keys are read from it alone. Its readers read it joined to events by id, and the
// records past the move through events_accounts (events_target_tail: account records only, a range
// of that index's rowids).
export default `
CREATE TABLE events_by_target (
  device        TEXT NOT NULL,
  target        TEXT NOT NULL,
  time          INTEGER NOT NULL,
  id            INTEGER NOT NULL,
  action        TEXT NOT NULL,
  PRIMARY KEY (device, target, time, id)
) STRICT, WITHOUT ROWID;

-- Nothing moved yet: filled by the store thread's moves in the background, as 017's tables are
-- (copied here it held serve's listeners closed: 1.0 s for 142,223 account records at load 17).
INSERT INTO index_moves (name, moved, upto, key) VALUES ('target', 0, 0, '');
DROP INDEX events_device_target;

CREATE VIEW events_target_tail AS
  SELECT e.* FROM index_moves m JOIN events e INDEXED BY events_accounts ON e.kind = 'account' AND e.id > m.moved
   WHERE m.name = 'target' AND (e.id > m.upto OR e.device >= m.key) AND e.target IS NOT NULL;
`;
