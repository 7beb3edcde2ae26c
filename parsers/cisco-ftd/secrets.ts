// Cisco FTD secret forms: the LINA configuration and its logs are ASA syntax, so the Cisco family's
// forms and ASA's (`failover key`, `passwd … encrypted`, 502101's `Encpass`) are FTD's; the
// `snmp-server host … community X` and `ldap-login-password X` forms are the family's and the
// generic grammar's.

import { asaForms, ciscoForms } from '../lib/secrets/cisco-forms.js';
import type { SecretGrammar } from '../lib/secrets/grammar.js';

export const ftdSecrets: SecretGrammar = [...ciscoForms, ...asaForms];
