// ASA secret forms beyond the Cisco family's: 502101's `Encpass`, `passwd … encrypted`,
// `failover key`, `ssh authentication publickey`.

import { redactPublicKey } from '../lib/config-text.js';
import { CMD, S, VALUE, form, rx, type SecretGrammar } from '../lib/secrets/grammar.js';

export const asaSecrets: SecretGrammar = [
  // `%ASA-5-502101: New user added to local dbase: Uname: bob Priv: 15 Encpass: X`.
  form('encpass', rx()`\bEncpass:(?:${S})?${VALUE()}`),
  // `passwd 2KFQnbNIdI.2KYOU encrypted` (the telnet/ssh password); typed at the CLI it is quoted in 111008.
  form('passwd', rx()`${CMD}passwd${S}${VALUE()}(?=${S}encrypted\b|' command)`),
  form('key', rx()`\bfailover${S}key${S}(?:hex${S})?${VALUE()}`),
  form('publickey', rx()`\bssh${S}authentication${S}publickey${S}(?<v>[A-Za-z0-9+/]{32,}={0,2})`, redactPublicKey),
];
