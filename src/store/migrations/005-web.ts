// The web interface: local users (scrypt hashes), API tokens (only their SHA-256 is kept),
// cookie sessions (only the SHA-256 of the session id is kept, so a copy of the database
// cannot be used to take over a session), and the log of what people did through the web:
// sign-ins, refused sign-ins, exports and finding decisions, which auditors ask for.
export default `
CREATE TABLE web_users (
  id            INTEGER PRIMARY KEY,
  name          TEXT NOT NULL UNIQUE,
  role          TEXT NOT NULL CHECK (role IN ('viewer', 'auditor', 'admin')),
  password      TEXT NOT NULL,             -- scrypt$<N>$<r>$<p>$<salt b64>$<hash b64>
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
) STRICT;

CREATE TABLE web_tokens (
  id            INTEGER PRIMARY KEY,
  user_id       INTEGER NOT NULL REFERENCES web_users(id) ON DELETE CASCADE,
  label         TEXT NOT NULL,
  hash          BLOB NOT NULL UNIQUE,      -- sha256 of the token; the token itself is shown once
  created_at    INTEGER NOT NULL,
  last_used     INTEGER
) STRICT;

CREATE TABLE web_sessions (
  hash          BLOB PRIMARY KEY,          -- sha256 of the cookie value
  user_id       INTEGER NOT NULL REFERENCES web_users(id) ON DELETE CASCADE,
  csrf          TEXT NOT NULL,             -- the form token of this session
  created_at    INTEGER NOT NULL,
  last_seen     INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX web_sessions_user ON web_sessions(user_id);

CREATE TABLE web_audit (
  id            INTEGER PRIMARY KEY,
  at            INTEGER NOT NULL,
  user          TEXT NOT NULL,             -- the user name, or what was typed for a refused sign-in
  address       TEXT,
  action        TEXT NOT NULL,             -- login | login.refused | logout | export | finding.acknowledge | …
  detail        TEXT NOT NULL              -- JSON
) STRICT;
`;
