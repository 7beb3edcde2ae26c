// A Cisco-style clear (type 0) value runs to the line's end, blanks and all: IOS reads `username U
// password 0 two words`, `enable secret 0 my pass phrase`, a line's `password 0 a b` and a server's
// `key 0 a b` as one LINE, where the grammar reads a word, and the words after the first were kept.
// Configuration text (cisco-config.ts) and every other line (the gate, secrets.ts: logged commands)
// remove the rest the same way; only what may stand before the `0` differs.

import { REDACTED } from './grammar.js';

/**
 * What ends a rest: a second value (`mgmtuser username U password 0 P Q secret 0 R S`, a 9800's), an
 * option NX-OS writes after a value (`role`, `expire`; a server's `authentication`, `timeout` …:
 * NX-OS values have no blanks), and what follows a command in a record of several (NX-OS
 * accounting's ` ; ` and `(SUCCESS)`, the next `username` or `enable`). A JSON string's quote too.
 */
const NOT_REST = String.raw`(?:username|enable|secret|password|role|expire|priv-lvl|privilege|view|autocommand|authentication|accounting|auth-port|acct-port|timeout|retransmit|single-connection|port|;|\(\S*)`;

/** The words after a `0 <redacted>` that `context` (a pattern ending where the ` 0` starts; '' for any) precedes, to be removed. */
export function clearRest(context: string): RegExp {
  return new RegExp(
    String.raw`(?<=${context}[^\S\n]+0[^\S\n]+${REDACTED})(?:[^\S\n]+(?!${NOT_REST}(?!\S))[^\s"]+)+(?=[^\S\n]*$|[^\S\n]+${NOT_REST}(?!\S)|")`,
    'gm',
  );
}
