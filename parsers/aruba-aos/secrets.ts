// HPE Aruba AOS (Instant and AOS-W controllers) secret forms that read the same on any line:
// `password hash|cleartext X`, IKE and conductor-redundancy keys, console and backup passwords,
// `shared-secret`, mobility-manager users, SNMPv3 users. Values written `keyword "X"` alone on a
// configuration line (`key`, `secret`, `authentication`, …) are secrets only where a command starts:
// a configuration line's start (config.ts) or the command the controller's audit trail quotes
// (`COMMAND:<key X> -- command executed successfully`); in prose the same words are no secret. The
// generic grammar has `mgmt-user NAME ROLE X`, `virtual-controller-key` and `wpa-passphrase`.

import { ahead, S, TYPE, VALUE, WORD, form, rx, type SecretGrammar } from '../lib/secrets/grammar.js';

/** Keywords whose value stands alone after them where a command starts (`key "X"`, VRRP `authentication X`). */
export const COMMAND_KEYWORDS = String.raw`(?:key|pre-shared-key|ap-console-password|bkup-passwords|virtual-controller-key|wpa-passphrase|ipsec|passphrase|shared-secret|secret|password|authentication)`;

export const arubaAosSecrets: SecretGrammar = [
  // The audit trail: `USER:admin@192.0.2.44 COMMAND:<key X> -- command executed successfully`.
  form('command:<', rx()`\bCOMMAND:<${COMMAND_KEYWORDS}${S}(?!pre-share\b)${VALUE()}`),
  // Instant `hash-mgmt-user NAME password hash X`, `… password cleartext X`.
  form(['hash', 'cleartext'], rx()`(?<![\w-])password${S}(?:hash|cleartext)${S}${VALUE()}`),
  form('pre-share', rx()`\bike${S}authentication${S}pre-share${S}${VALUE()}`),
  form(['ap-console-password', 'bkup-passwords', 'shared-secret'], rx()`(?<![\w-])(?:ap-console-password|bkup-passwords|shared-secret)${S}${TYPE}${VALUE()}`),
  // `peer-ip-address 10.42.0.3 ipsec X` (conductor redundancy).
  // and `masterip 10.42.0.1 ipsec X`, `localip 0.0.0.0 ipsec X` (a managed device's key to its conductor).
  // Hinted by the words it opens with, not by `ipsec`: every ISE accounting line says `IPSEC` (its
  // device group) and ran this form for nothing (~0.9 µs a line, 2026-12-04).
  form(['peer-ip-address', 'masterip', 'localip'], rx()`\b(?:peer-ip-address|masterip|localip)${S}${WORD}${S}ipsec${S}${VALUE()}`),
  // `snmp-server user NAME auth-prot sha X priv-prot AES Y`.
  form('auth-prot', rx('i')`(?<![\w-])auth-prot${S}(?:md5|sha)${S}${VALUE()}(?:${S}priv-prot${S}(?:aes|des)${S}${VALUE('2')})?`),
  // `snmp-server host 10.10.42.12 version 2c X inform`: for v1 and v2c the word is the community.
  form('snmp-server', rx()`\bsnmp-server${S}host${S}${WORD}${S}version${S}(?:1|2c)${S}${VALUE()}`),
  // A type digit may stand before the community (Brocade IronWare `snmp-server community 2 $X ro`).
  form('snmp-server', rx()`\bsnmp-server${S}community${S}(?:\d{1,2}${S}(?=\S))?${VALUE()}`),
  // Instant's older `mgmt-user NAME HASH [read-only|guest-mgmt]` (the controller's `mgmt-user NAME
  // ROLE HASH` is the generic grammar's).
  form('mgmt-user', rx('m')`(?<![\w-])mgmt-user${S}${WORD}${S}(?<v>[0-9a-fA-F]{16,})(?=${S}(?:read-only|guest-mgmt)\b|[^\S\n]*$)`),
  form('mobility-manager', rx()`\bmobility-manager${S}${ahead(String.raw`\bmobility-manager\b`)}\buser${S}${WORD}${S}${VALUE()}`),
];
