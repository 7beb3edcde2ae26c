// Fortinet secret forms, FortiOS's and FortiManager's alike (both write FortiOS-style `set` lines
// and events): every `set …password|psksecret|secret|passphrase|psk|key VALUE` (clear or
// `ENC …`; not ipmitool's `user set password ID X`, whose ID is no value), and the values a configuration-change event quotes in `cfgattr="password[…]"`.
// A community's `set name` in `config system snmp community` is known only by its section: the
// config module handles it.

import { after, ahead, S, form, needing, rx, type SecretGrammar } from './grammar.js';

/** A FortiOS value: quoted (with backslash escapes) or bare. */
const FORTI_VALUE = String.raw`(?:"(?<vq>(?:[^"\\]|\\.)*)"|\\"(?<ve>)|(?<vw>(?!["'])(?:[^\s"\\]|\\\S)+))`;

export const fortinetForms: SecretGrammar = [
  needing(form(['pass', 'secret', 'pwd', 'psk'], rx()`${after(String.raw`\bset`, String.raw`(?<!\buser${S})`)}${S}(?:[a-z][\w-]*-)?(?:password|passwd|psksecret|secret|pwd|passphrase|psk)\d*${S}(?:ENC${S})?${FORTI_VALUE}`), ['set']),
  // `set key`, `set secondary-key`, `set pre-shared-key`; not `set private-key` (a PEM block, removed whole), nor
  // IOS's `set session-key inbound|outbound …` (the direction, then the key: its own form).
  form('key', rx()`\bset${S}(?!private-key|session-key)(?:\w+-)*key${S}(?:ENC${S})?${FORTI_VALUE}`),
  // `cfgattr="password[X]"`, `cfgattr="psksecret[OLD->NEW]"` (each value, the arrow kept).
  // Inside a cfgattr: one seen at most 1,024 characters back, or (past that) a run of 1,025
  // without a quote, which may be one: a long list of attributes must not hide a password in it.
  // A value not closed by `]` (a message cut at maxMessageBytes) runs to the quote or the line's
  // end. Where a lookbehind reads back, it is bounded: it runs at every secret-named attribute.
  form('cfgattr', rx()`(?<![\w-])(?:[\w-]+-)?(?:password|passwd|psksecret|secret|passphrase|psk|key|pwd)\d*\[(?<=cfgattr="[^"]{0,1024}|[^"\n]{1025})(?<v>(?:(?!->)[^\]"\n])*)(?:->(?<v2>[^\]"\n]*))?`),
  // A community's name, in the event that adds it: `cfgpath="system.snmp.community" … cfgattr="name[X]"`.
  needing(form('cfgattr', rx()`cfgpath="system\.snmp\.community"${ahead('cfgpath=')}cfgattr="[^"\n]*?(?<![\w-])name\[(?<v>(?:(?!->)[^\]"\n])*)(?:->(?<v2>[^\]"\n]*))?`), ['name[']),
];
