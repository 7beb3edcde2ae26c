// Reconciliation: the attribution sentence on findings, the severity each history entry left a
// finding at (so escalations are visible and alerted), who-did-it for every account change between
// pulls, the auditability checks read from each snapshot, the alert outbox, and the positions the
// reconciler has reached.
export default `
ALTER TABLE findings ADD COLUMN attribution TEXT;     -- one sentence: who, when, from where, by which path
ALTER TABLE finding_history ADD COLUMN severity TEXT; -- the finding's severity after this entry

-- One row per account change (account_changes) that was judged: the records that explain it, or
-- none. Changes of a device's first pull are judged only when a record before it names the account.
CREATE TABLE change_attribution (
  change_id     INTEGER PRIMARY KEY REFERENCES account_changes(id),
  account_id    INTEGER NOT NULL REFERENCES accounts(id),
  device        TEXT NOT NULL,
  name          TEXT NOT NULL,
  change        TEXT NOT NULL,             -- added | removed | changed
  explained     INTEGER NOT NULL,          -- 1: an account record explains it
  ambiguous     INTEGER NOT NULL,          -- 1: several records fit
  at            INTEGER,                   -- the explaining record's time
  actor         TEXT,
  actor_address TEXT,
  path          TEXT,
  change_window TEXT,                      -- the change window it fell in, if any
  sentence      TEXT NOT NULL,
  evidence      TEXT NOT NULL              -- JSON { events: [ids], snapshots: [ids] }
) STRICT;
CREATE INDEX change_attribution_account ON change_attribution(account_id);

-- What a snapshot's configuration says about auditability, read once per snapshot.
CREATE TABLE snapshot_audit (
  snapshot_id   INTEGER PRIMARY KEY REFERENCES snapshots(id),
  checks        TEXT NOT NULL              -- JSON [{ check, ok, detail }]
) STRICT;

CREATE TABLE reconcile_state (
  name          TEXT PRIMARY KEY,          -- changes.judged | history.alerted | pulls.seen
  value         INTEGER NOT NULL
) STRICT;

-- Alerts waiting for delivery, delivered, or given up, per destination.
CREATE TABLE alert_outbox (
  id            INTEGER PRIMARY KEY,
  destination   TEXT NOT NULL,
  finding_id    INTEGER NOT NULL REFERENCES findings(id),
  event         TEXT NOT NULL,             -- new | escalated | reopened
  payload       TEXT NOT NULL,             -- JSON: the finding as sent
  created_at    INTEGER NOT NULL,
  attempts      INTEGER NOT NULL DEFAULT 0,
  next_at       INTEGER NOT NULL,
  last_error    TEXT,
  delivered_at  INTEGER,
  failed_at     INTEGER
) STRICT;
CREATE INDEX alert_outbox_due ON alert_outbox(next_at) WHERE delivered_at IS NULL AND failed_at IS NULL;

-- Last login per device and user for dormancy: only login rows are in it, so ingest pays for it
-- on session records alone.
CREATE INDEX events_logins ON events(device, actor, time) WHERE kind = 'session' AND action IN ('login', 'session.start');
`;
