// Findings and their history: one open finding per (kind, device, account).
export default `
CREATE TABLE findings (
  id            INTEGER PRIMARY KEY,
  kind          TEXT NOT NULL,
  severity      TEXT NOT NULL,             -- info | low | medium | high | critical
  device        TEXT NOT NULL,
  account       TEXT NOT NULL DEFAULT '',  -- '' when the finding is about the device
  status        TEXT NOT NULL,             -- open | acknowledged | accepted | resolved
  summary       TEXT NOT NULL,
  technique     TEXT,
  evidence      TEXT NOT NULL,             -- JSON: { events: [ids], snapshots: [ids], … }
  first_seen    INTEGER NOT NULL,
  last_seen     INTEGER NOT NULL,
  occurrences   INTEGER NOT NULL,
  accepted_until INTEGER,
  updated_at    INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX findings_one_open ON findings(kind, device, account) WHERE status <> 'resolved';
CREATE INDEX findings_status ON findings(status, severity);
CREATE INDEX findings_device ON findings(device, account);

CREATE TABLE finding_history (
  id            INTEGER PRIMARY KEY,
  finding_id    INTEGER NOT NULL REFERENCES findings(id),
  at            INTEGER NOT NULL,
  by            TEXT NOT NULL,             -- a person, or 'aaawatch' for automatic changes
  from_status   TEXT,
  to_status     TEXT NOT NULL,
  reason        TEXT,
  until         INTEGER
) STRICT;
CREATE INDEX finding_history_finding ON finding_history(finding_id, at);
`;
