// events_logins kept as a table of the store's own, filled in sorted runs as events_by_device and
// events_by_actor are (migration 017, src/store/index-moves.ts; issues 14 and 18): a login or AAA
// session start took an entry in a partial index at insert time, a page of its own once logins
// name more (device, actor) pairs than a commit has rows (BENCHMARKS.md, sortidx5). Its readers
// look an account's latest login up by (device, actor): the table, and the unmoved tail
// (events_login_tail, a rowid range of events) where they need logins newer than the last move.
export default `
CREATE TABLE events_by_login (
  device        TEXT NOT NULL,
  actor         TEXT NOT NULL,
  time          INTEGER NOT NULL,
  id            INTEGER NOT NULL,
  PRIMARY KEY (device, actor, time, id)
) STRICT, WITHOUT ROWID;

-- Nothing moved yet: filled by the store thread's moves in the background, as 017's tables are.
INSERT INTO index_moves (name, moved, upto, key) VALUES ('login', 0, 0, '');
DROP INDEX events_logins;

CREATE VIEW events_login_tail AS
  SELECT e.* FROM index_moves m JOIN events e NOT INDEXED ON e.id > m.moved
   WHERE m.name = 'login' AND (e.id > m.upto OR e.device >= m.key)
     AND e.kind = 'session' AND e.action IN ('login', 'session.start') AND e.actor IS NOT NULL;
`;
