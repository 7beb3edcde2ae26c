// FortiOS: the Fortinet secret forms (lib/secrets/fortinet-forms.ts), which FortiManager shares.

import { fortinetForms } from '../lib/secrets/fortinet-forms.js';
import type { SecretGrammar } from '../lib/secrets/grammar.js';

export const fortiosSecrets: SecretGrammar = fortinetForms;
