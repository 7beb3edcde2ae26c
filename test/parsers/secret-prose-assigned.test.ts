// `password: X` inside a line a device logs: a free-text field a person typed (a description, a
// comment, a useradd -c) holds a password as easily as a reason does. The gate read `password: X`
// only where a key starts a line of a file, so these reached the store, pages and exports whole,
// while reviewerText (src/reconcile/reviewer-text.ts) redacted the same words in a decision's reason.
// Words of prose after the colon, masks, placeholders, a program's tag and a URL (its own form) stay.

import { describe, expect, it } from 'vitest';
import { REDACTED, redactSecrets } from '../../parsers/lib/secrets.js';

const R = REDACTED;

describe('password: X inside a line', () => {
  it.each([
    // IOS archive log: a description typed with the password in it.
    ['%PARSER-5-CFGLOG_LOGGEDCMD: User:bob  logged command:description vendor uplink, password: Cab1e99', `%PARSER-5-CFGLOG_LOGGEDCMD: User:bob  logged command:description vendor uplink, password: ${R}`],
    // Junos: an interface description, quoted in the command the UI logs.
    [
      `mgd[4242]: UI_CMDLINE_READ_LINE: User 'bob', command 'set interfaces ge-0/0/0 description "guest wifi password: Guest2026"'`,
      `mgd[4242]: UI_CMDLINE_READ_LINE: User 'bob', command 'set interfaces ge-0/0/0 description "guest wifi password: ${R}"'`,
    ],
    // sudo running useradd with a comment (GECOS) holding it.
    [
      'sudo:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/sbin/useradd -c "temp account, Password: Vend0r!23" vendor1',
      `sudo:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/sbin/useradd -c "temp account, Password: ${R}" vendor1`,
    ],
    // FortiOS: an admin's comments attribute.
    ['logdesc="Attribute configured" cfgpath="system.admin" cfgobj="vendor1" cfgattr="comments[temp passphrase: Vend0r99]" msg="Edit"', `logdesc="Attribute configured" cfgpath="system.admin" cfgobj="vendor1" cfgattr="comments[temp passphrase: ${R}]" msg="Edit"`],
    // A note a ticketing tool's syslog carries.
    ['app: reason="vendor access, password: hunter2 given by phone"', `app: reason="vendor access, password: ${R} given by phone"`],
  ])('%s', (line, redacted) => {
    expect(redactSecrets(line)).toBe(redacted);
  });

  it.each([
    // A program's tag and a device's own messages: no value after the colon.
    'passwd: password unchanged',
    'sshd[1]: pam_unix(sshd:auth): password: for user bob changed',
    'login: Password: ',
    // Masks and placeholders.
    'ssh session: Password: ********',
    `note: password: ${R}`,
    'config: password: <removed>',
    // A URL: its own form takes the secret in it, the rest stays.
    '# some URL with password: http://user@domain.tld/',
  ])('keeps %s', (line) => {
    expect(redactSecrets(line)).toBe(line);
  });
});
