// Pull attempts reading a device now (src/store/schema/pull.ts pulls_under_way): a `username`
// re-issued while a command-line pull stored what it read was account-created when serve's creation
// pass ran before the pull committed (test/reconcile/cli-pull-reissue).
export default `
CREATE TABLE pulls_under_way (
  id            INTEGER PRIMARY KEY,
  device        TEXT NOT NULL,
  started_at    INTEGER NOT NULL,
  expires_at    INTEGER NOT NULL
) STRICT;
`;
