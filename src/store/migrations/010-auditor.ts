// The auditor's population and evidence (issue 15): every address each device's messages arrived
// from (the sender check), account records by device (the Accounts page pages through them), the
// ticket a decision cites, a hash chain over the web activity log, and API tokens that expire.
export default `
-- One row per device and sender address, bounded per device by the store (the latest kept): a
-- device whose inventory address is not among them is sending through someone else, or spoofed.
CREATE TABLE device_senders (
  device        TEXT NOT NULL,
  source        TEXT NOT NULL,             -- the sender address as the socket saw it
  first_seen    INTEGER NOT NULL,
  last_seen     INTEGER NOT NULL,
  PRIMARY KEY (device, source)
) STRICT, WITHOUT ROWID;
INSERT INTO device_senders (device, source, first_seen, last_seen)
  SELECT device, source, first_seen, last_seen FROM device_activity WHERE source IS NOT NULL;

-- Account records by device and account: only account records name a target, so ingest pays for
-- this index on those alone.
CREATE INDEX events_device_target ON events(device, target, time) WHERE target IS NOT NULL;

-- The change ticket a decision cites (bulk decisions on cases carry one).
ALTER TABLE finding_history ADD COLUMN ticket TEXT;

-- Cases: the unresolved findings of one account (or one device), read grouped from this index alone.
CREATE INDEX findings_case ON findings(device, account, severity, status, kind, last_seen, id) WHERE status <> 'resolved';

-- The activity log is hash-chained like records: each entry carries the hash of the one before.
-- Entries written before this migration carry none; the chain starts after them.
ALTER TABLE web_audit ADD COLUMN prev_hash BLOB;
ALTER TABLE web_audit ADD COLUMN hash BLOB;
CREATE INDEX web_audit_at ON web_audit(at);

-- Tokens expire; those made before expiry existed get the default 90 days from when they were made.
ALTER TABLE web_tokens ADD COLUMN expires_at INTEGER;
UPDATE web_tokens SET expires_at = created_at + 90 * 86400000;
`;
