// The activity log's entries older than its chain, fixed (issue 15): migration 010 chained the log
// from then on and left earlier entries without hashes, and `verify` counted every entry without
// one before the first hashed entry as older, so a log with all its hashes set to NULL verified as
// "0 chained, N older". The entries older than the chain are recorded here as they stand (those
// without a hash before the first entry with one); any other entry without a hash is a break.
export default `
CREATE TABLE web_audit_start (
  one INTEGER PRIMARY KEY CHECK (one = 1),
  last_id INTEGER NOT NULL,
  entries INTEGER NOT NULL
) STRICT;
INSERT INTO web_audit_start (one, last_id, entries)
  SELECT 1, max(id), count(*) FROM web_audit
   WHERE hash IS NULL AND id < coalesce((SELECT min(id) FROM web_audit WHERE hash IS NOT NULL), 9223372036854775807)
  HAVING count(*) > 0;
`;
