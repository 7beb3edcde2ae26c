// tac_plus secret forms: the Cisco family's (its accounting log quotes their commands) and its
// configuration's credentials (`login = des X`, tac_plus-ng `password pap = clear X`). Command arguments one per attribute (`cmd-arg=secret cmd-arg=0
// cmd-arg=X`, ISE's `CmdArgAV=`) need no form of their own: every form reads the attribute as a
// separator (grammar.ts `S`).

import { ciscoForms } from '../lib/secrets/cisco-forms.js';
import { S, VALUE, form, needing, rx, type SecretGrammar } from '../lib/secrets/grammar.js';

export const tacPlusSecrets: SecretGrammar = [
  ...ciscoForms,
  // tac_plus configuration: `login = des X`, `enable = cleartext "X"`; tac_plus-ng `password pap = clear X`.
  // Hints the method words (`des` is in many words: the keyword is needed too), not `= des`: two
  // spaces or a tab may stand around the `=`. `des\b`: a separator always follows it, where
  // `destination` and `description` (a tenth of traffic's lines) go on with a letter.
  needing(form(['des\\b', 'clear', 'crypt', 'mavis'], rx()`\b(?:login|enable|pap|chap|arap|opap|global|password${S}(?:login|pap|chap|mschap|enable))${S}=${S}(?:des|cleartext|clear|crypt|mavis)${S}${VALUE()}`), ['login', 'enable', 'pap', 'chap', 'arap', 'global']),
];
