// Linux: the secret forms of Linux command lines (lib/secrets/linux-forms.ts), which Falco shares.

import { linuxForms } from '../lib/secrets/linux-forms.js';
import type { SecretGrammar } from '../lib/secrets/grammar.js';

export const linuxSecrets: SecretGrammar = linuxForms;
