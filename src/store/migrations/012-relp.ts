// RELP frames remembered to recognise a resend (src/ingest/relp/resends.ts): per session, a digest
// of each of its first and last committed frames, written in the same transaction as the frames
// themselves, so after a kill -9 what was stored and what is remembered agree. Bounded: a session
// keeps its first frames and its last window, a clean close forgets them all, and an address keeps
// a few unfinished sessions.
export default `
CREATE TABLE IF NOT EXISTS relp_frames (
  session  TEXT NOT NULL,     -- a random id per RELP session
  source   TEXT NOT NULL,     -- the sender address
  seq      INTEGER NOT NULL,  -- the frame's place in its session
  digest   TEXT NOT NULL,     -- SHA-256 of the frame's DATA, 22 base64url characters
  at       INTEGER NOT NULL,  -- epoch ms it was handed over
  PRIMARY KEY (session, seq)
) STRICT, WITHOUT ROWID;
`;
