// FortiManager secret forms: the Fortinet ones (lib/secrets/fortinet-forms.ts) and, for its own
// `set` lines: `set password ENC X`, `set passwd`,
// `set crptpasswd`, `set psksecret`, `set secret`, `set psk`, `set auth-pwd`/`set priv-pwd` (SNMPv3),
// and every `set …key ENC X` (TACACS+/RADIUS keys) except `set private-key` (a PEM block, whose
// body goes with the block) and IOS's `set session-key inbound|outbound …` (the Cisco forms read it). The `set name` of an SNMP community needs its section: config.ts.

import { fortinetForms } from '../lib/secrets/fortinet-forms.js';
import { cmd, S, VALUE, form, needing, rx, type SecretGrammar } from '../lib/secrets/grammar.js';

export const fmgSecrets: SecretGrammar = [
  ...fortinetForms,
  // `set` is needed too, checked only on lines holding a hint (aaa-only's `passwd:` lines hold one).
  needing(form(['pass', 'secret', 'psk', 'pwd'], rx()`${cmd('set')}${S}(?:[\w-]+-)?(?:password|passwd|crptpasswd|psksecret|secret|passphrase|psk|pwd)\d*${S}(?:ENC${S})?${VALUE()}`), ['set']),
  form('key', rx()`${cmd('set')}${S}(?!(?:private|session)-key\b)(?:\w+-)*key${S}(?:ENC${S})?${VALUE()}`),
];
