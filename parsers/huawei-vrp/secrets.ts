// Huawei VRP secret forms beyond the generic ones (`password cipher|simple|irreversible-cipher`,
// `shared-key cipher`, `%^%#…%^%#`, `%@%@…%@%@`, `$1a$…` are there): SNMP communities and
// routing-protocol authentication; with H3C (lib/secrets/vrp-forms.ts) a v1/v2c trap target's
// `securityname` and a WLAN `psk pass-phrase`.

import { S, TYPE, VALUE, form, rx, type SecretGrammar } from '../lib/secrets/grammar.js';
import { vrpFamilyForms } from '../lib/secrets/vrp-forms.js';

export const vrpSecrets: SecretGrammar = [
  ...vrpFamilyForms,
  // `password irreversible-cipher X` and the like: no other vendor writes this type word.
  form('irreversible-cipher', rx()`(?<![\w-])irreversible-cipher${S}${VALUE()}`),
  // `snmp-agent community read cipher X`, `snmp-agent community write simple X`.
  form('snmp-agent', rx()`\bsnmp-agent${S}community${S}(?:read|write)${S}${TYPE}${VALUE()}`),
  // `ospf authentication-mode md5 1 cipher X`, `authentication-mode simple plain X`.
  form('authentication-mode', rx()`\bauthentication-mode${S}(?:md5|hmac-md5|hmac-sha256|simple|sha\w*|sha2-\d+)${S}(?:\d+${S})?${TYPE}${VALUE()}`),
  // SNMPv3: `snmp-agent usm-user v3 nms authentication-mode sha X privacy-mode aes128 Y`.
  form('privacy-mode', rx()`\bprivacy-mode${S}(?:aes\d*|des\d*|3des\w*)${S}${TYPE}${VALUE()}`),
];
