// PAN-OS secret forms: the elements whose text is a secret (`<phash>`, `<community-string>` … as
// in the XML configuration) and the same names in set form (`set mgt-config users bob phash X`).

import { S, VALUE, form, rx, type SecretGrammar } from '../lib/secrets/grammar.js';

/** Elements whose text is a secret (PAN-OS keeps most of them as `-AQ==…` or a crypt hash). */
export const SECRET_TAGS = [
  'phash', 'password', 'passwd', 'key', 'secret', 'shared-secret', 'community', 'community-string', 'authpwd',
  'privpwd', 'private-key', 'passphrase', 'public-key', 'bind-password', 'auth-password', 'priv-password', 'psk', 'secret-key',
  'snmp-community-string',
] as const;

const TAGS = SECRET_TAGS.join('|');

export const panosSecrets: SecretGrammar = [
  form(['pass', 'key', 'secret', 'community', 'pwd', 'psk', 'phash'], rx()`<(${TAGS})>(?<v>[^<]+)</\1>`),
  form('phash', rx()`(?<![\w-])phash${S}${VALUE()}`),
  // The IKE gateway's key as a configuration log's change detail writes it: `pre-shared-key { key X; }`.
  form('pre-shared-key', rx()`\bpre-shared-key${S}\{${S}key${S}${VALUE()}`),
  // SNMPv3 users: `authpwd X privpwd Y` (set form), `{ authpwd X; privpwd Y; }` (change detail).
  form('pwd', rx()`(?<![\w-])(?:authpwd|privpwd)${S}${VALUE()}`),
  form('community', rx()`(?<![\w-])(?:snmp-)?community-string${S}${VALUE()}`),
];
