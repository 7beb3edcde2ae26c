// HPE Aruba AOS (Instant and AOS-W controllers) secret forms that read the same on any line:
// `password hash|cleartext X`, IKE and conductor-redundancy keys, console and backup passwords,
// `shared-secret`, mobility-manager users. Values written `keyword "X"` alone on a configuration
// line (`key`, `secret`, `authentication`, …) need the line start and stay in config.ts; the
// generic grammar has `mgmt-user NAME ROLE X`, `virtual-controller-key` and `wpa-passphrase`.

import { S, VALUE, WORD, form, rx, type SecretGrammar } from '../lib/secrets/grammar.js';

export const arubaAosSecrets: SecretGrammar = [
  // Instant `hash-mgmt-user NAME password hash X`, `… password cleartext X`.
  form(['hash', 'cleartext'], rx()`(?<![\w-])password${S}(?:hash|cleartext)${S}${VALUE()}`),
  form('pre-share', rx()`\bike${S}authentication${S}pre-share${S}${VALUE()}`),
  form(['ap-console-password', 'bkup-passwords', 'shared-secret'], rx()`(?<![\w-])(?:ap-console-password|bkup-passwords|shared-secret)${S}${VALUE()}`),
  // `peer-ip-address 10.42.0.3 ipsec X` (conductor redundancy).
  form('ipsec', rx()`\bpeer-ip-address${S}${WORD}${S}ipsec${S}${VALUE()}`),
  // `snmp-server host 10.10.42.12 version 2c X inform`: for v1 and v2c the word is the community.
  form('snmp-server', rx()`\bsnmp-server${S}host${S}${WORD}${S}version${S}(?:1|2c)${S}${VALUE()}`),
  form('snmp-server', rx()`\bsnmp-server${S}community${S}${VALUE()}`),
  // Instant's older `mgmt-user NAME HASH [read-only|guest-mgmt]` (the controller's `mgmt-user NAME
  // ROLE HASH` is the generic grammar's).
  form('mgmt-user', rx('m')`(?<![\w-])mgmt-user${S}${WORD}${S}(?<v>[0-9a-fA-F]{16,})(?=${S}(?:read-only|guest-mgmt)\b|[^\S\n]*$)`),
  form('mobility-manager', rx()`\bmobility-manager${S}[^\n]*?\buser${S}${WORD}${S}${VALUE()}`),
];
