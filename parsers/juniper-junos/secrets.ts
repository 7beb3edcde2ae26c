// Junos secret forms beyond the generic ones (`encrypted-password`, `authentication-key`,
// `pre-shared-key ascii-text`, `secret`, `simple-password` are there): what Junos marks
// `## SECRET-DATA`, BGP/OSPF `md5 N key`, and SNMP communities in set form. An SNMP community in
// brace form (`community public {`) is known only by its block: the config module handles it.

import { S, form, rx, type SecretGrammar } from '../lib/secrets/grammar.js';

/** A Junos value: quoted, or bare up to `;`, a brace or a space. */
export const JUNOS_VALUE = String.raw`(?:"(?<vq>(?:[^"\\\n]|\\[^\n])*)"|\\"(?<ve>)|(?<vw>(?:[^\s;{}"\\]|\\[^\s])+))`;

export const junosSecrets: SecretGrammar = [
  form('secret-data', rx()`(?<=\s)${JUNOS_VALUE}(?=;\s*##\s*SECRET-DATA)`),
  form('key', rx()`\bmd5${S}\d+${S}key${S}${JUNOS_VALUE}`),
  // CatOS writes the access before the community (`set snmp community read-only X`): an access word
  // followed by a word that is no Junos community statement is that, not the community's name.
  form('community', rx()`\bset${S}snmp${S}community${S}(?:(?:read-only|read-write|read-write-all)${S}(?!(?:authorization|clients|view|routing-instance|logical-system)\b)(?=[^\s;{}]))?${JUNOS_VALUE}`),
];
