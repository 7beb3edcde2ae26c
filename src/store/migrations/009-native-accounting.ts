// Native accounting senders (TACACS+, RADIUS): per transport and sender address, what arrived and
// how it went — requests accepted, bodies that did not decode with the configured key (a wrong key,
// shown on the device page), requests refused (TACACS+ authentication and authorisation). Rows
// exist only for senders a key or secret is configured for, so their number is bounded by the
// configuration, not by what the network sends. `IF NOT EXISTS`: the lead orders 007 and 008 (other
// branches) before this one when they merge, and a database that ran it earlier must not fail then.
export default `
CREATE TABLE IF NOT EXISTS native_sources (
  transport      TEXT NOT NULL,            -- tacacs | radius
  source         TEXT NOT NULL,            -- sender address
  device         TEXT NOT NULL,            -- the device it is (inventory name by address, else the address or the NAS it named)
  first_seen     INTEGER NOT NULL,         -- epoch ms, any request
  last_seen      INTEGER NOT NULL,
  accepted       INTEGER NOT NULL,         -- requests decoded with the right key and answered
  last_accepted  INTEGER,
  bad_key        INTEGER NOT NULL,         -- requests that did not decode with any configured key
  last_bad_key   INTEGER,
  refused        INTEGER NOT NULL,         -- TACACS+ authentication and authorisation, refused
  PRIMARY KEY (transport, source)
) STRICT, WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS native_sources_device ON native_sources(device);
`;
