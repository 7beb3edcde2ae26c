// Forms Huawei VRP and H3C Comware share (Comware grew from VRP and kept its SNMP and WLAN syntax).

import { S, TYPE, VALUE, form, rx, type SecretGrammar } from './grammar.js';

export const vrpFamilyForms: SecretGrammar = [
  // `snmp-agent target-host trap address udp-domain A params securityname X v2c`: for v1 and v2c the
  // security name is the community (`cipher %^%#…` when stored); for v3 it names a user.
  form('securityname', rx()`\bparams${S}securityname${S}${TYPE}${VALUE()}(?=${S}(?:v1|v2c)\b)`),
  // WLAN security profiles: `security wpa2 psk pass-phrase X aes`, `… psk hex X`.
  form('psk', rx()`\bpsk${S}(?:pass-phrase|hex)${S}${TYPE}${VALUE()}`),
];
