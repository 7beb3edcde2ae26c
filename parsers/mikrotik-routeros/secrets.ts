// RouterOS secret forms: `name=value` arguments of `add`/`set` commands, as an export prints them
// and as a log line quotes them. A community's `name=` in `/snmp community` is known only by its
// section: the config module handles it.

import { ahead, S, SEP, form, rx, type SecretGrammar } from '../lib/secrets/grammar.js';

/** A RouterOS value: quoted (with backslash escapes) or bare (where it ends: the engine's `bareEnd`, so a log's `(… password=X)` keeps its `)`). */
const ROS_VALUE = String.raw`(?:"(?<vq>(?:[^"\\]|\\.)*)"|\\"(?<ve>)|(?<vw>(?!["']|\{\{)(?:[^\s"\\]|\\\S)+))`;

export const routerosSecrets: SecretGrammar = [
  form(['password=', 'passphrase=', 'secret=', 'key=', 'psk=', 'community='], rx()`(?<![\w-])(?:password|secret|authentication-password|encryption-password|wpa-pre-shared-key|wpa2-pre-shared-key|pre-shared-key|preshared-key|private-key|passphrase|auth-key|tcp-md5-key|trap-community|psk)=(?:ENC${S})?${ROS_VALUE}`),
  // (`ENC X`: FortiManager's `changes="…,password=ENC X"`, read here too since any line meets every grammar.)
  // `/snmp community add name=X`: there the name is the community.
  form('community', rx()`\/snmp${S}community${S}(?:add|set)\b${ahead(String.raw`\/snmp`)}${SEP}name=${ROS_VALUE}`),
  // A bare `key=` only on an `add`/`set` command (`/ip ipsec … key=`): auditd's `key="rule"` is a name.
  form('key=', rx()`(?:^|\n)[ \t]*(?:add|set)\b${ahead(String.raw`\n`)}[ \t]key=${ROS_VALUE}`),
];
