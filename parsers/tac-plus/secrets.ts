// TACACS+ command arguments one per attribute, as tac_plus and ISE log them (`cmd-arg=secret
// cmd-arg=0 cmd-arg=X`, `CmdArgAV=password CmdArgAV=X`): the argument after the keyword (and
// after its type, when there is one) is the value.

import { S, form, rx, type SecretGrammar } from '../lib/secrets/grammar.js';

const ARG = String.raw`(?:CmdArgAV|cmd-arg)=`;

export const tacacsArgSecrets: SecretGrammar = [
  form('arg', rx('i')`\b${ARG}(?:password|secret|passwd|key-string|pre-shared-key|passphrase|community|key)${S}(?:${ARG}(?:0|4|5|6|7|8|9|10|sha512|sha256|md5|encrypted|cleartext|hidden|scrypt)${S})?${ARG}(?!<cr>)(?<v>[^\s,\]\x00-\x1f]+)`),
];
