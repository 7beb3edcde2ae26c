// events_device_time kept as a table of the store's own, filled in sorted runs (issues 14 and 18):
// the index took a page of its own per record once records name more devices than a commit has
// rows, and twice that once the store outgrew the page cache (BENCHMARKS.md, storecost). The store
// thread moves the records past `moved` into the table every run of records, or when ingest goes
// idle, in one sorted INSERT … SELECT per key range (src/store/index-moves.ts); queries read the
// table joined to events by id and, where a page needs the newest records, the unmoved tail by
// rowid range (the view events_device_tail).
export default `
CREATE TABLE events_by_device (
  device        TEXT NOT NULL,
  time          INTEGER NOT NULL,
  id            INTEGER NOT NULL,
  PRIMARY KEY (device, time, id)
) STRICT, WITHOUT ROWID;

-- Per index table: every record with id <= moved is in it; a move under way has put the records
-- in (moved, upto] whose key sorts below \`key\` there too (\`key\` is '' when none is under way).
CREATE TABLE index_moves (
  name          TEXT PRIMARY KEY,
  moved         INTEGER NOT NULL,
  upto          INTEGER NOT NULL,
  key           TEXT NOT NULL
) STRICT, WITHOUT ROWID;

INSERT INTO events_by_device (device, time, id) SELECT device, time, id FROM events ORDER BY device, time, id;
INSERT INTO index_moves (name, moved, upto, key)
  SELECT 'device', m, m, '' FROM (SELECT coalesce(max(id), 0) AS m FROM events);
DROP INDEX events_device_time;

-- The records of events not yet in events_by_device: a rowid range, filtered (NOT INDEXED: a
-- query's time range must not walk events_time over the whole store instead).
CREATE VIEW events_device_tail AS
  SELECT e.* FROM index_moves m JOIN events e NOT INDEXED ON e.id > m.moved
   WHERE m.name = 'device' AND (e.id > m.upto OR e.device >= m.key);
`;
