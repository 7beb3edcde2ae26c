// Configuration pulls: pinned host keys, redacted snapshots (stored only when changed), the
// local accounts each device holds with when they were first and last seen and when they went,
// every account change between two snapshots, and the outcome of each pull.
export default `
CREATE TABLE host_keys (
  device        TEXT PRIMARY KEY,
  key_type      TEXT NOT NULL,             -- ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256 …
  key           BLOB NOT NULL,             -- the public key blob, SSH wire format
  fingerprint   TEXT NOT NULL,             -- SHA256:… as OpenSSH prints it
  source        TEXT NOT NULL,             -- tofu | known_hosts | accepted
  pinned_at     INTEGER NOT NULL,
  pinned_by     TEXT,                      -- who accepted it (source = accepted)
  last_seen     INTEGER NOT NULL
) STRICT;

-- A key that differed from the pinned one, kept until a person accepts it (aaawatch hostkey accept).
CREATE TABLE host_key_changes (
  device        TEXT PRIMARY KEY,
  key_type      TEXT NOT NULL,
  key           BLOB NOT NULL,
  fingerprint   TEXT NOT NULL,
  first_seen    INTEGER NOT NULL,
  last_seen     INTEGER NOT NULL
) STRICT;

CREATE TABLE snapshots (
  id            INTEGER PRIMARY KEY,
  device        TEXT NOT NULL,
  platform      TEXT NOT NULL,
  taken_at      INTEGER NOT NULL,          -- epoch ms
  hash          TEXT NOT NULL,             -- sha256 of the redacted text without volatile lines
  config        TEXT NOT NULL,             -- redacted
  bytes         INTEGER NOT NULL
) STRICT;
CREATE INDEX snapshots_device ON snapshots(device, id);

CREATE TABLE pull_runs (
  id            INTEGER PRIMARY KEY,
  device        TEXT NOT NULL,
  started_at    INTEGER NOT NULL,
  finished_at   INTEGER NOT NULL,
  attempts      INTEGER NOT NULL,
  outcome       TEXT NOT NULL,             -- changed | unchanged | failed
  failure       TEXT,                      -- connect | auth | host-key-changed | timeout | … (src/pull/errors.ts)
  error         TEXT,                      -- what went wrong, secrets removed
  snapshot_id   INTEGER REFERENCES snapshots(id)
) STRICT;
CREATE INDEX pull_runs_device ON pull_runs(device, id);
CREATE INDEX pull_runs_started ON pull_runs(started_at);

CREATE TABLE pull_state (
  device        TEXT PRIMARY KEY,
  last_attempt  INTEGER NOT NULL,
  last_success  INTEGER,
  snapshot_id   INTEGER REFERENCES snapshots(id),   -- the latest snapshot
  failures      INTEGER NOT NULL,                   -- consecutive failed runs
  last_error    TEXT
) STRICT;

-- One row per account and device for as long as it exists; an account that is removed and comes
-- back gets a new row, so each row is one continuous presence.
CREATE TABLE accounts (
  id                  INTEGER PRIMARY KEY,
  device              TEXT NOT NULL,
  name                TEXT NOT NULL,
  privilege           TEXT,
  roles               TEXT NOT NULL,       -- JSON array
  credentials         TEXT NOT NULL,       -- JSON array: password | secret | key | none
  lines               TEXT NOT NULL,       -- JSON array of configuration lines, redacted
  first_seen          INTEGER NOT NULL,
  last_seen           INTEGER NOT NULL,    -- the last successful pull that showed it
  removed_at          INTEGER,             -- the first successful pull that no longer did
  first_snapshot_id   INTEGER NOT NULL REFERENCES snapshots(id),
  last_snapshot_id    INTEGER NOT NULL REFERENCES snapshots(id),
  removed_snapshot_id INTEGER REFERENCES snapshots(id)
) STRICT;
CREATE UNIQUE INDEX accounts_present ON accounts(device, name) WHERE removed_at IS NULL;
CREATE INDEX accounts_device ON accounts(device, name);

-- What changed between two snapshots. from_snapshot_id is NULL for a device's first pull (the
-- baseline), so "appeared" means from_snapshot_id IS NOT NULL.
CREATE TABLE account_changes (
  id                INTEGER PRIMARY KEY,
  account_id        INTEGER NOT NULL REFERENCES accounts(id),
  device            TEXT NOT NULL,
  name              TEXT NOT NULL,
  change            TEXT NOT NULL,         -- added | removed | changed
  at                INTEGER NOT NULL,
  before            TEXT,                  -- JSON {privilege, roles, credentials}
  after             TEXT,
  from_snapshot_id  INTEGER REFERENCES snapshots(id),
  to_snapshot_id    INTEGER NOT NULL REFERENCES snapshots(id)
) STRICT;
CREATE INDEX account_changes_device ON account_changes(device, at);
CREATE INDEX account_changes_at ON account_changes(at);
`;
