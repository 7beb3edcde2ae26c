// SonicWall SonicOS secret forms: `show current-config` writes a stored secret as `N,VALUE` (an
// encoding digit, a comma, the value) after its keyword: `password 1,X`, `secret`, `shared-secret`,
// `bind-password`, `passphrase password`, `cli ftp password default`, SNMPv3 `authentication sha1`
// and `encryption aes` (the keywords Oxidized's sonicos.rb hides). Only the value goes: the digit
// and comma stay, as a type digit does on Cisco.

import { S, VALUE, form, needing, rx, type SecretGrammar } from '../lib/secrets/grammar.js';

export const sonicosSecrets: SecretGrammar = [
  needing(form(['pass', 'secret', 'authentication', 'encryption'],
    rx()`(?<![\w-])(?:password(?:${S}default)?|secret|shared-secret|bind-password|passphrase${S}password|authentication${S}(?:sha1|sha|md5)|encryption${S}(?:aes|des|3des))${S}\d,${VALUE()}`), [',']),
];
