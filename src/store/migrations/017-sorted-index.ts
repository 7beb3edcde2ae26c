// events_device_time and events_actor kept as tables of the store's own, filled in sorted runs
// (issues 14 and 18): each index took a page of its own per record once records name more keys than
// a commit has rows, and twice that once the store outgrew the page cache (BENCHMARKS.md,
// storecost). The store thread moves the records past `moved` into the tables every run of
// records, or when ingest goes idle, in one sorted INSERT … SELECT per key range
// (src/store/index-moves.ts); queries read a table joined to events by id and, where a page needs
// the newest records, the unmoved tail by rowid range (the views events_device_tail and
// events_actor_tail).
export default `
CREATE TABLE events_by_device (
  device        TEXT NOT NULL,
  time          INTEGER NOT NULL,
  id            INTEGER NOT NULL,
  PRIMARY KEY (device, time, id)
) STRICT, WITHOUT ROWID;

-- events_actor as it was (actor, time, device, kind): the account timeline reads device and kind
-- from its entries. Records without an actor stay out: nothing looks them up by actor.
CREATE TABLE events_by_actor (
  actor         TEXT NOT NULL,
  time          INTEGER NOT NULL,
  id            INTEGER NOT NULL,
  device        TEXT NOT NULL,
  kind          TEXT NOT NULL,
  PRIMARY KEY (actor, time, id)
) STRICT, WITHOUT ROWID;

-- Per index table: every record with id <= moved is in it; a move under way has put the records
-- in (moved, upto] whose key sorts below \`key\` there too (\`key\` is '' when none is under way).
CREATE TABLE index_moves (
  name          TEXT PRIMARY KEY,
  moved         INTEGER NOT NULL,
  upto          INTEGER NOT NULL,
  key           TEXT NOT NULL
) STRICT, WITHOUT ROWID;

-- Nothing moved yet: the store thread fills the tables in steps once serve's listeners read (see above).
INSERT INTO index_moves (name, moved, upto, key) VALUES ('device', 0, 0, ''), ('actor', 0, 0, '');
DROP INDEX events_device_time;
DROP INDEX events_actor;

-- The records of events not yet in events_by_device: a rowid range, filtered (NOT INDEXED: a
-- query's time range must not walk events_time over the whole store instead).
CREATE VIEW events_device_tail AS
  SELECT e.* FROM index_moves m JOIN events e NOT INDEXED ON e.id > m.moved
   WHERE m.name = 'device' AND (e.id > m.upto OR e.device >= m.key);
CREATE VIEW events_actor_tail AS
  SELECT e.* FROM index_moves m JOIN events e NOT INDEXED ON e.id > m.moved
   WHERE m.name = 'actor' AND (e.id > m.upto OR e.actor >= m.key);
`;
