// HPE Aruba AOS-CX secret forms: stored secrets are written `ciphertext X` (or `plaintext X` as
// typed), older keys without a type after a TACACS+/RADIUS server, SNMP communities, the export
// password, and event 2302's changed key (`tacacs_passkey update :   -> X`).

import { ahead, cmd, S, SEP, TYPE, VALUE, form, rx, type SecretGrammar } from '../lib/secrets/grammar.js';

export const aoscxSecrets: SecretGrammar = [
  // `user bob group administrators password ciphertext X`, `… key ciphertext X`, `auth-pass plaintext X`,
  // `radius dyn-authorization client H secret-key plaintext X`.
  form('ciphertext', rx()`(?<![\w-])ciphertext${S}${VALUE()}`),
  form('plaintext', rx()`(?<![\w-])(?:password|key|secret-key|auth-pass|priv-pass|passphrase)${S}plaintext${S}${VALUE()}`),
  // `tacacs-server key X`, `radius-server host H key X` (no type on older releases).
  form(['tacacs-server', 'radius-server'], rx()`${cmd('(?:tacacs|radius)-server')}\b${ahead(String.raw`\b(?:tacacs|radius)-server\b`)}${SEP}key${S}${TYPE}${VALUE()}`),
  // `snmp-server community X`, `snmp-server host H trap version v2c community X`.
  form('snmp-server', rx()`${cmd(String.raw`snmp-server${S}community`)}${S}(?:\d{1,2}${S}(?=\S))?${VALUE()}`),
  form('snmp-server', rx()`${cmd(String.raw`snmp-server${S}host`)}${S}${ahead(String.raw`\bsnmp-server\b`)}${SEP}community${S}${VALUE()}`),
  // `!export-password: X` (`default` names none).
  form('!export-password', rx()`!export-password:${S}(?!default[^\S\n]*(?:\n|$))${VALUE()}`),
  // Event 2302: `TACACS global default tacacs_passkey update :   -> X`.
  form('passkey', rx('i')`\b\w*passkey\b[^\n>]{0,40}->(?:${S})?${VALUE()}`),
];
