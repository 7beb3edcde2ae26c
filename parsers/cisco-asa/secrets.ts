// Cisco ASA's secret grammar: the Cisco family's forms and ASA's own (lib/secrets/cisco-forms.ts).

import { asaForms, ciscoForms } from '../lib/secrets/cisco-forms.js';
import type { SecretGrammar } from '../lib/secrets/grammar.js';

export const asaSecrets: SecretGrammar = [...ciscoForms, ...asaForms];
