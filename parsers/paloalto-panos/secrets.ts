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

/**
 * A set-form value, also where a CONFIG log's CSV field quotes the command: there the bare value
 * ends at the field's comma, before the record's sequence number and flags (`… snmp-community-string
 * X,1234,0x0,…`); anywhere else (or a value with a comma of its own) it is read as any value.
 */
const SET_VALUE = String.raw`(?:(?=[^\s,"']+,\d+,0x[0-9a-fA-F]+,)(?<vc>[^\s,"']+)|${VALUE()})`;

export const panosSecrets: SecretGrammar = [
  // Not a BGP community (`<community>65000:100</community>` in routes and policies): SNMP's is a word.
  form(SECRET_TAGS.map((t) => `<${t}>`), rx()`<(${TAGS})>(?!\d+:\d+<)(?<v>[^<]+)</\1>`),
  form('phash', rx()`(?<![\w-])phash${S}${SET_VALUE}`),
  // An administrator's SSH key in brace and set form (`public-key X;`, `set mgt-config users NAME
  // public-key X`): key material is never kept as it stands. Not a WireGuard peer's (VyOS quotes it, no `;`).
  form('public-key', rx()`(?<![\w-])public-key${S}(?<v>[A-Za-z0-9+/=]{16,})(?=;)`),
  form('public-key', rx()`\bset${S}mgt-config${S}users${S}\S+${S}public-key${S}${VALUE()}`),
  // The IKE gateway's key as a configuration log's change detail writes it: `pre-shared-key { key X; }`.
  form('pre-shared-key', rx()`\bpre-shared-key${S}\{${S}key${S}${SET_VALUE}`),
  // SNMPv3 users: `authpwd X privpwd Y` (set form), `{ authpwd X; privpwd Y; }` (change detail).
  form('pwd', rx()`(?<![\w-])(?:authpwd|privpwd)${S}${SET_VALUE}`),
  form('community', rx()`(?<![\w-])(?:snmp-)?community-string${S}${SET_VALUE}`),
];
