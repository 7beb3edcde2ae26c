// NVIDIA Cumulus Linux secret forms: NVUE YAML keys (`hashed-password: '$6$…'`, `password: X`,
// `secret: X`, `readonly-community: X` …), FRR `password X` (generic), snmpd.conf `rocommunity X`,
// `rwcommunity X` and `com2sec NAME SOURCE X`, NVUE's `readonly-community X`. YAML keys and snmpd
// directives start their line.

import { S, VALUE, WORD, form, rx, type SecretGrammar } from '../lib/secrets/grammar.js';

export const cumulusSecrets: SecretGrammar = [
  // `'*'` is a locked password, kept as is (the grammar leaves masks).
  form(['password:', 'secret:', 'key:', 'community:', 'psk:'], rx('m')`^[^\S\n]*(?:hashed-password|password|secret|key|shared-secret|readonly-community|readwrite-community|community|psk|pre-shared-key):${S}${VALUE()}`),
  form('community', rx('m')`^[^\S\n]*(?:rocommunity6?|rwcommunity6?)${S}${VALUE()}`),
  // The command: `nv set service snmp-server readonly-community X access any`.
  form('community', rx()`(?<![\w-])(?:readonly|readwrite)-community(?:-v6)?${S}${VALUE()}`),
  form('com2sec', rx('m')`^[^\S\n]*com2sec6?${S}${WORD}${S}${WORD}${S}${VALUE()}`),
];
