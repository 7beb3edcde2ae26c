// H3C Comware secret forms: `password|key|pre-shared-key [role R|level N] [authentication|
// authorization|accounting] hash|cipher|simple X`, SNMP communities and SNMPv3 keys, and Comware's
// `$c$…`/`$h$…` ciphertexts wherever they stand; with VRP (lib/secrets/vrp-forms.ts) a v1/v2c trap
// target's `securityname` and a WLAN `psk pass-phrase`.

import { S, TYPE, VALUE, WORD, form, needing, rx, type SecretGrammar } from '../lib/secrets/grammar.js';
import { vrpFamilyForms } from '../lib/secrets/vrp-forms.js';

export const comwareSecrets: SecretGrammar = [
  ...vrpFamilyForms,
  needing(form(['password', 'key'], rx()`(?<![\w-])(?:password|key|pre-shared-key)(?:${S}(?:role|level)${S}${WORD})?(?:${S}(?:authentication|authorization|accounting))?${S}(?:hash|cipher|simple)${S}${VALUE()}`), ['hash', 'cipher', 'simple']),
  // `snmp-agent community read simple X`, `snmp-agent community write cipher X`.
  form('snmp-agent', rx()`\bsnmp-agent${S}community${S}(?:read|write)${S}${TYPE}${VALUE()}`),
  // `snmp-agent usm-user v3 u g authentication-mode sha X privacy-mode aes128 Y`.
  // OSPF `authentication-mode md5 1 cipher X`: a key id may stand before the type.
  form(['authentication-mode', 'privacy-mode'], rx()`(?<![\w-])(?:authentication-mode|privacy-mode)${S}${WORD}${S}(?:\d{1,3}${S}(?=\S))?${TYPE}${VALUE()}`),
  form(['$c$', '$h$'], rx()`(?<v>\$[ch]\$\d+\$[^\s"']+)`),
];
