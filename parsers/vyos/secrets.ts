// VyOS secret forms (set-command syntax, in configurations and in commit logs): login and BGP/VRRP
// passwords, WireGuard and IPsec keys, OSPF `md5-key`, RADIUS/TACACS+ server keys, SNMP
// communities. `encrypted-password`, `preshared-key`, `private-key`, `password`, `secret` and
// `set service snmp … community X` are in the generic grammar.

import { S, VALUE, WORD, form, needing, rx, type SecretGrammar } from '../lib/secrets/grammar.js';

export const vyosSecrets: SecretGrammar = [
  // `authentication plaintext-password 'X'`, `md5-key 'X'`, 1.3's `authentication pre-shared-secret X`.
  form(['plaintext-password', 'md5-key', 'pre-shared-secret'], rx()`(?<![\w-])(?:plaintext-password|md5-key|pre-shared-secret)${S}${VALUE()}`),
  // `set system login radius server 192.0.2.1 key 'X'`, `… tacacs server H key 'X'`. Hinted by `key`,
  // which every match holds and whose lines run the other key forms anyway: `radius` and `tacacs`
  // stand in every ISE and tac_plus accounting line, and this form read 40% of the characters the
  // gate's forms read on aaa-only (bench:ingest's profile), ~1,100 of them per ISE line.
  needing(form('key', rx()`\b(?:radius|tacacs)${S}server${S}${WORD}${S}key${S}${VALUE()}`), ['radius', 'tacacs']),
  // The community is a node name: `set service snmp community snmppublic authorization 'ro'`.
  form('community', rx()`\b(?:set|delete)${S}service${S}snmp${S}community${S}${VALUE()}`),
];
