// The findings list in the orders it offers (most severe first, then most recently seen; by last or
// first seen), read in index order a page at a time instead of sorting every finding per page.
// The severity expression is the one src/web/data/findings.ts orders by: SQLite uses an index on an
// expression only for the same expression.
export default `
CREATE INDEX findings_by_severity ON findings(
  (CASE severity WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 WHEN 'low' THEN 1 ELSE 0 END), last_seen, id);
CREATE INDEX findings_last_seen ON findings(last_seen, id);
CREATE INDEX findings_first_seen ON findings(first_seen, last_seen, id);
`;
