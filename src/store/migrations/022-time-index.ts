// events_time kept as a table of the store's own, filled in sorted runs as the device, actor, login
// and account indexes are (migrations 017, 018, 020; src/store/index-moves.ts; issue 14): every
// record took an entry in it at insert time, and aaa-only's stamps jitter by up to 5 minutes, so a
// 500-record commit dirtied ~15 of its leaves, 37% of the commit's WAL frames (BENCHMARKS.md,
// store15). Its readers (the audit trail, the overview's records per hour, an export's count of a
// period) read it joined to events by id, and the records past the move by rowid range
// (events_time_tail). Its moves are never cut by key: its key is a number.
export default `
CREATE TABLE events_by_time (
  time          INTEGER NOT NULL,
  id            INTEGER NOT NULL,
  PRIMARY KEY (time, id)
) STRICT, WITHOUT ROWID;

-- Nothing moved yet: filled by the store thread's moves in the background, as 017's tables are.
INSERT INTO index_moves (name, moved, upto, key) VALUES ('time', 0, 0, '');
DROP INDEX events_time;

CREATE VIEW events_time_tail AS
  SELECT e.* FROM index_moves m JOIN events e NOT INDEXED ON e.id > m.moved
   WHERE m.name = 'time';
`;
