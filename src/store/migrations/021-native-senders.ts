// Native accounting senders as (sender address, device) pairs (issue 15, the sender check for
// TACACS+ and RADIUS): native_sources kept one device per sender address, so a RADIUS proxy relaying
// for several NASes showed as one device, the last one it named. A row is now one sender and one
// device, with its counts; `named` counts the requests from a sender that is not a configured proxy
// whose NAS attributes named this device (an inventory device with another address): they are
// filed under the sender, and the claim raises sender-mismatch (through device_senders). The old
// rows are kept as they stand, each its sender's one pair.
export default `
CREATE TABLE native_senders (
  transport      TEXT NOT NULL,            -- tacacs | radius
  source         TEXT NOT NULL,            -- sender address
  device         TEXT NOT NULL,            -- the device its requests were filed under, or named (see named)
  first_seen     INTEGER NOT NULL,         -- epoch ms, any request
  last_seen      INTEGER NOT NULL,
  accepted       INTEGER NOT NULL,         -- requests decoded with the right key, filed under this device and answered
  last_accepted  INTEGER,
  bad_key        INTEGER NOT NULL,         -- requests that did not decode with any configured key
  last_bad_key   INTEGER,
  refused        INTEGER NOT NULL,         -- TACACS+ authentication and authorisation, refused
  named          INTEGER NOT NULL DEFAULT 0, -- requests naming this device from a sender not configured as its proxy
  last_named     INTEGER,
  PRIMARY KEY (transport, source, device)
) STRICT, WITHOUT ROWID;
CREATE INDEX native_senders_device ON native_senders(device);
INSERT INTO native_senders (transport, source, device, first_seen, last_seen, accepted, last_accepted, bad_key, last_bad_key, refused)
  SELECT transport, source, device, first_seen, last_seen, accepted, last_accepted, bad_key, last_bad_key, refused FROM native_sources;
DROP TABLE native_sources;
`;
