// Ingest: kept messages, normalised records (hash-chained), counters, rejected inputs, unknowns.
export default `
CREATE TABLE messages (
  id            INTEGER PRIMARY KEY,
  received_at   INTEGER NOT NULL,          -- epoch ms
  time          INTEGER NOT NULL,          -- event time, epoch ms UTC
  time_text     TEXT,                      -- the device's own stamp, as sent
  time_quality  TEXT NOT NULL,
  source        TEXT,
  transport     TEXT NOT NULL,
  device        TEXT NOT NULL,
  hostname      TEXT,
  program       TEXT,
  facility      INTEGER,
  severity      INTEGER,
  platform      TEXT,                      -- the platform that recognised it, NULL when kept raw
  raw           TEXT NOT NULL              -- secrets redacted
) STRICT;
-- No secondary indexes: messages are reached through their records (events.message_id), and
-- every index here would be paid for on the ingest path.

CREATE TABLE events (
  id            INTEGER PRIMARY KEY,
  message_id    INTEGER REFERENCES messages(id),
  kind          TEXT NOT NULL,             -- account | command | session
  action        TEXT NOT NULL,
  time          INTEGER NOT NULL,
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
  prev_hash     BLOB NOT NULL,
  hash          BLOB NOT NULL
) STRICT;
CREATE INDEX events_device_time ON events(device, time);
CREATE INDEX events_time ON events(time);
-- Only account records name a target; the rest stay out of this index.
CREATE INDEX events_target ON events(target, device) WHERE target IS NOT NULL;
CREATE INDEX events_actor ON events(actor, time);

-- Where the chain starts after retention removed older rows: the hash the first kept row follows.
CREATE TABLE chain_anchor (
  id            INTEGER PRIMARY KEY CHECK (id = 1),
  before_id     INTEGER NOT NULL,          -- rows with id < before_id were removed
  hash          BLOB NOT NULL,
  removed_at    INTEGER NOT NULL
) STRICT;

-- Traffic no platform recognised, counted per hour, device and program.
CREATE TABLE traffic (
  hour          INTEGER NOT NULL,          -- epoch hours (UTC)
  device        TEXT NOT NULL,
  program       TEXT NOT NULL,
  messages      INTEGER NOT NULL,
  recognised    INTEGER NOT NULL,
  PRIMARY KEY (hour, device, program)
) STRICT, WITHOUT ROWID;

CREATE TABLE device_activity (
  device        TEXT PRIMARY KEY,
  source        TEXT,
  first_seen    INTEGER NOT NULL,
  last_seen     INTEGER NOT NULL
) STRICT;

-- Counters by reason (malformed, rejected, kernel drops); cumulative since the database was made.
CREATE TABLE counters (
  name          TEXT PRIMARY KEY,
  value         INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
) STRICT;

-- Inputs refused or not understood, kept for inspection (bounded per reason).
CREATE TABLE rejects (
  id            INTEGER PRIMARY KEY,
  received_at   INTEGER NOT NULL,
  source        TEXT,
  transport     TEXT NOT NULL,
  reason        TEXT NOT NULL,
  raw           BLOB NOT NULL              -- the bytes as received (secrets redacted when readable)
) STRICT;
CREATE INDEX rejects_reason ON rejects(reason, id);

-- Lines that look like AAA or configuration traffic but match no known form.
CREATE TABLE unknowns (
  device        TEXT NOT NULL,
  type          TEXT NOT NULL,
  count         INTEGER NOT NULL,
  first_seen    INTEGER NOT NULL,
  last_seen     INTEGER NOT NULL,
  example       TEXT NOT NULL,             -- the latest such line, secrets redacted
  PRIMARY KEY (device, type)
) STRICT;
`;
