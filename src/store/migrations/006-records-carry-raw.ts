// A record carries the raw message it came from, and where and when that message arrived, in its
// own row. Ingest then writes one row per record instead of a message row and a record row that
// points at it: the second B-tree insert (and its foreign-key check) was a sixth of what storing a
// record cost. `messages` keeps only what no record came from (store.storeAllMessages).
//
// SQLite cannot drop a column used in a foreign key, so the table is rebuilt; ids and hashes are
// copied unchanged and the chain still verifies.
export default `
CREATE TABLE events_new (
  id            INTEGER PRIMARY KEY,
  kind          TEXT NOT NULL,             -- account | command | session
  action        TEXT NOT NULL,
  time          INTEGER NOT NULL,          -- event time, epoch ms UTC
  device        TEXT NOT NULL,
  platform      TEXT NOT NULL,
  actor         TEXT,
  actor_address TEXT,
  target        TEXT,
  privilege     TEXT,
  role          TEXT,
  grp           TEXT,
  path          TEXT,
  technique     TEXT,
  command       TEXT,
  session       TEXT,
  container     TEXT,                      -- JSON
  raw           TEXT,                      -- the message it came from, secrets redacted (chained)
  received_at   INTEGER NOT NULL,          -- epoch ms
  transport     TEXT NOT NULL,
  source        TEXT,                      -- sender address
  time_text     TEXT,                      -- the device's own stamp, as sent
  prev_hash     BLOB NOT NULL,
  hash          BLOB NOT NULL
) STRICT;

INSERT INTO events_new
SELECT e.id, e.kind, e.action, e.time, e.device, e.platform, e.actor, e.actor_address, e.target, e.privilege,
       e.role, e.grp, e.path, e.technique, e.command, e.session, e.container,
       m.raw, coalesce(m.received_at, e.time), coalesce(m.transport, 'file'), m.source, m.time_text,
       e.prev_hash, e.hash
  FROM events e LEFT JOIN messages m ON m.id = e.message_id
 ORDER BY e.id;

-- Messages whose records now hold them go; the old table's references must go first.
CREATE TEMP TABLE carried AS SELECT DISTINCT message_id AS id FROM events WHERE message_id IS NOT NULL;
DROP TABLE events;
ALTER TABLE events_new RENAME TO events;
DELETE FROM messages WHERE id IN (SELECT id FROM carried);
DROP TABLE carried;

CREATE INDEX events_device_time ON events(device, time);
CREATE INDEX events_time ON events(time);
CREATE INDEX events_target ON events(target, device) WHERE target IS NOT NULL;
CREATE INDEX events_actor ON events(actor, time);
CREATE INDEX events_logins ON events(device, actor, time) WHERE kind = 'session' AND action IN ('login', 'session.start');
`;
