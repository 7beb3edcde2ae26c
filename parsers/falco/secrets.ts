// Falco: its alerts quote Linux command lines (`proc.cmdline`), so its secret forms are Linux's
// (lib/secrets/linux-forms.ts).

import { linuxForms } from '../lib/secrets/linux-forms.js';
import type { SecretGrammar } from '../lib/secrets/grammar.js';

export const falcoSecrets: SecretGrammar = linuxForms;
