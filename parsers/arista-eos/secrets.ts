// Arista EOS: the Cisco family's secret forms (lib/secrets/cisco-forms.ts), none of its own.

import { ciscoForms } from '../lib/secrets/cisco-forms.js';
import type { SecretGrammar } from '../lib/secrets/grammar.js';

export const eosSecrets: SecretGrammar = ciscoForms;
