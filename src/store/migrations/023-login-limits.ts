// The sign-in limiter kept in the store (issue 15): its counts and locks were in each web
// process's memory, so a restart forgot a lock and two nodes each allowed the whole limit. A row
// per counted key (src/web/limiter.ts); starts empty.
export default `
CREATE TABLE web_login_limits (
  key           TEXT PRIMARY KEY,          -- user:<name>, name#<bucket>, addr:<source>
  attempts      TEXT NOT NULL,             -- JSON array of epoch ms: failed and in-flight attempts within the window
  locked_until  INTEGER NOT NULL,          -- epoch ms
  refused       INTEGER NOT NULL,          -- attempts refused since the lock began
  last_at       INTEGER NOT NULL,          -- the last attempt, epoch ms
  expires_at    INTEGER NOT NULL           -- when the row says nothing any more
) STRICT, WITHOUT ROWID;
CREATE INDEX web_login_limits_expiry ON web_login_limits(expires_at, last_at);
`;
