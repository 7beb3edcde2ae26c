// RADIUS secret forms: password attributes as FreeRADIUS prints them (`User-Password = "X"`,
// `Cleartext-Password := "X"`), and the password `auth_badpass`/`auth_goodpass` write into
// `Login OK: [bob/X]`.

import { S, SEP, VALUE, after, form, needing, rx, type SecretGrammar } from '../lib/secrets/grammar.js';

export const radiusSecrets: SecretGrammar = [
  needing(form('password', rx('i')`${after('password', String.raw`(?<=\w-)`)}(?::\d{1,3})?(?:${S})?(?::=|\+=|==|=)(?:${S})?${VALUE()}`), ['=']),
  // MS-CHAP's responses (`MS-CHAP2-Response = 0x…`, `MS-CHAP-Response`): derived from the password's
  // NT hash, and enough with the challenge to test guesses of it.
  form('chap', rx()`\bMS-CHAP2?-Response(?:${S})?(?::=|\+=|==|=)(?:${S})?${VALUE()}`),
  // No password when the brackets end in radiusd's note for one (`/<via Auth-Type = eap>`,
  // `/<no User-Password attribute>`): then the name may hold a `/` (`[host/ws01.corp.example/<via …>]`).
  form(['login ok', 'login incorrect'], rx()`\bLogin (?:OK|incorrect)(?: \([^)]*\))?: \[(?![^\]\n]*\/<[^\]\n]*>\] \(from client )[^\]/]*\/(?!<via )(?<v>[^\]]+)(?=\] \(from client )`),
  // rlm_sql's default post-auth query, when queries are logged: `INSERT INTO radpostauth (username, pass, …) VALUES ( 'bob', 'X', …`.
  needing(form('pass', rx()`\bradpostauth${S}\(username,${S}pass,[^)]*\)${S}VALUES${SEP}*\((?:${S})?'(?:[^'\\]|\\.)*',${S}'(?<v>(?:[^'\\]|\\.)*)'`), ['radpostauth']),
];
