// Purges of secrets found in stored rows after the fact (`aaawatch purge-secret`): who, when, why,
// how the rows were chosen, which records changed and the hashes the chain carries since. The
// entries are chained like the records, so removing or editing one shows in `aaawatch verify`.
// The value purged is never recorded, nor any hash computed over text that held it.
export default `
CREATE TABLE chain_purges (
  id            INTEGER PRIMARY KEY,
  at            INTEGER NOT NULL,          -- epoch ms
  by            TEXT NOT NULL,
  reason        TEXT NOT NULL,
  selection     TEXT NOT NULL,             -- how rows were chosen, in words (never the value)
  rows          TEXT NOT NULL,             -- JSON: rows changed per table, record ids changed
  from_id       INTEGER,                   -- first record re-chained (null: no record changed)
  to_id         INTEGER,                   -- last record re-chained
  anchor        BLOB,                      -- the hash the first re-chained record follows (unchanged)
  new_hashes    TEXT NOT NULL,             -- JSON [[record id, new hash hex]] of the records whose content changed
  new_head      BLOB,                      -- the hash of record to_id after the purge
  prev_hash     BLOB NOT NULL,
  hash          BLOB NOT NULL
) STRICT;

-- A purge under way: the records are re-chained a batch per transaction (serve keeps storing
-- meanwhile); this row says how far, so an interrupted purge is finished by running it again.
CREATE TABLE purge_progress (
  id            INTEGER PRIMARY KEY CHECK (id = 1),
  started_at    INTEGER NOT NULL,
  by            TEXT NOT NULL,
  reason        TEXT NOT NULL,
  selection     TEXT NOT NULL,
  from_id       INTEGER NOT NULL,          -- the first record re-chained
  next_id       INTEGER NOT NULL,          -- the next record to re-chain
  prev          BLOB NOT NULL,             -- the hash it follows (that of next_id - 1, re-chained)
  anchor        BLOB NOT NULL,             -- the hash from_id follows (unchanged)
  changed       TEXT NOT NULL,             -- JSON [record ids whose content changed so far]
  tables        TEXT NOT NULL              -- JSON {table: rows changed} outside the chain
) STRICT;
`;
