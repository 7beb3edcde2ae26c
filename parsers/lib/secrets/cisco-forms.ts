// Where Cisco-syntax CLIs (IOS, IOS-XE, NX-OS, EOS, IOS-XR, ISE, ASA and FTD's LINA, tac_plus's
// accounting of their commands) put secrets that the generic grammar does not know: a bare `key`
// in a server sub-mode, server lines, IKE keys, SNMP communities (named and positional), HSRP
// authentication; and ASA's own (`ciscoForms`, `asaForms`). Shared by those platforms' grammars
// (parsers/<platform>/secrets.ts) and the Cisco-style configuration redaction (lib/cisco-config.ts).

import { redactPublicKey } from '../config-text.js';
import { ahead, cmd, S, SEP, TYPE, VALUE, WORD, form, needing, rx, type SecretGrammar } from './grammar.js';

/**
 * Words after a bare `key` that are no value: key chains, crypto keys, prose, Comware's `key authentication cipher X`
 * (which key, then its type); a file (F5's `key /Common/dtdi.key`), or the name of a key whose passphrase follows
 * (F5's `cert-key-chain { … key NAME / passphrase $M$… }`). Those two read at most 256 characters of the word, and
 * not a `#0xx` separator: read to the line's end from every separator after `key`, a 100 KB run of `#011` took 50 s.
 */
const KEY_NOT_A_VALUE = String.raw`(?![^\s#]{0,256}\.(?:key|pem|crt|cer)(?![^\s\x00-\x1f\x7f])|[^\s#]{1,256}\r?\n[^\S\n]*passphrase\b|(?:chain|authentication|authorization|accounting|config-key|generate|zeroize|import|export|storage|pubkey-chain|rejected|accepted|not|is|for|from|type|exchange|length|size|id|file|fingerprint|algorithm)\b|\d+(?![^\s\x00-\x1f\x7f]))`;

/** An address in `snmp-server host`: never the community (ASA puts the interface first). */
const NOT_AN_ADDRESS = String.raw`(?!\d{1,3}(?:\.\d{1,3}){3}(?![^\s\x00-\x1f\x7f])|[0-9A-Fa-f]*:[0-9A-Fa-f:.]*(?![^\s\x00-\x1f\x7f]))`;

export const ciscoForms: SecretGrammar = [
  // A command that is only `key [TYPE] VALUE`: the shared secret in a `tacacs server`/`radius server`
  // sub-mode, an ASA `aaa-server … host` sub-mode, ISE's `pac key`. A key chain's `key 1` is an id.
  form('key', rx()`${cmd(String.raw`(?:pac${S})?key`)}${S}${TYPE}${KEY_NOT_A_VALUE}${VALUE()}`),
  // `tacacs-server key 7 …`, `radius-server host 10.1.1.1 auth-port 1645 key …`, `server-private … key …`;
  // Check Point Gaia's clish writes `add aaa tacacs-servers priority 1 server A key X`, Extreme VOSS
  // `radius server host A key X`, Zyxel `aaa server radius NAME key X`.
  form('key', rx()`\b(?:tacacs-servers?|radius-servers?|server-private|aaa-server|(?:radius|tacacs\+?)${S}server|server${S}(?:radius|tacacs\+?))\b${ahead(String.raw`\b(?:tacacs|radius|server-private|aaa-server)`)}${SEP}key${S}${TYPE}${KEY_NOT_A_VALUE}${VALUE()}`),
  // The `key` line of an ASA `aaa-server NAME (IF) host A` sub-mode, read from its host line: there a
  // value of digits is the key (alone, `key 10101010` reads as a key chain's id).
  form('aaa-server', rx('m')`^aaa-server${S}[^\n]*\bhost\b[^\n]*\n(?:[^\S\n]+(?!key\b)[^\n]*\n){0,16}?[^\S\n]+key${S}${TYPE}${VALUE()}`),
  // IKE: `crypto isakmp key X address 10.1.1.1`, keyring `pre-shared-key address 0.0.0.0 0.0.0.0 key X`.
  form('isakmp', rx()`\bcrypto${S}isakmp${S}key${S}${TYPE}${VALUE()}`),
  form('pre-shared-key', rx()`\bpre-shared-key${S}(?:address|hostname)\b${ahead(String.raw`\bpre-shared-key\b`)}${SEP}key${S}${TYPE}${VALUE()}`),
  // `snmp-server community X RO`, `snmp community X`.
  form('community', rx()`${cmd(String.raw`(?:no${S})?snmp(?:-server)?${S}community`)}${S}${TYPE}${VALUE()}`),
  // `snmp-server host ADDR [vrf V] [informs|traps] [version 1|2c] COMMUNITY …` (v3 names a user);
  // ASA and AOS-CX name it: `snmp-server host inside 10.1.1.1 community X`.
  // NX-OS's `snmp-server host A source-interface IF N` and `… filter-vrf V` set no community.
  form('snmp-server', rx()`${cmd(String.raw`(?:no${S})?snmp-server${S}host`)}${S}${WORD}(?:${S}(?:vrf${S}${WORD}|use-vrf${S}${WORD}|udp-port${S}\d+|informs|traps|inform|trap))*(?:${S}version${S}(?:1|2c|v2c))?${S}(?!(?:vrf|use-vrf|udp-port|informs|traps|inform|trap|version|community|source-interface|filter-vrf)(?![^\s\x00-\x1f\x7f]))${NOT_AN_ADDRESS}${VALUE()}(?!${S}community\b)`),
  form('community', rx()`\bsnmp-server${S}host\b${ahead(String.raw`\bsnmp-server\b`)}${SEP}community${S}${TYPE}${VALUE()}`),
  // MSDP: `ip msdp password peer ADDR [TYPE] X` (the address first, then the value).
  form('msdp', rx()`\bmsdp${S}password${S}peer${S}${WORD}${S}${TYPE}${VALUE()}`),
  // SNMPv3 users whose algorithm stands without `auth`/`priv` (Extreme VOSS `snmp-server user U sha X aes Y`).
  form('snmp-server', rx()`\bsnmp-server${S}user${S}${WORD}${ahead(String.raw`\bsnmp-server\b`)}${SEP}(?:md5|sha\w*)${S}${TYPE}${VALUE()}(?:${S}(?:des|3des|aes\w*)${S}(?:\d{3}${S})?${TYPE}${VALUE('2')})?`),
  // NX-OS breaks a long `snmp-server user` line: its `priv [ALG] X` continues on the next, indented.
  form('snmp-server', rx()`\bsnmp-server${S}user${S}${ahead(String.raw`\bsnmp-server\b`)}\r?\n[^\S\n]+priv${S}(?:(?:des\w*|3des|aes(?:-?\d+)?)${S}(?:\d{3}${S})?)?${TYPE}${VALUE()}`),
  // ScreenOS `set ike gateway … preshare "X"`.
  form('preshare', rx()`(?<![\w-])preshare${S}${VALUE()}`),
  // DMVPN: `ip nhrp authentication X` (up to 8 characters, clear).
  form('nhrp', rx()`\bnhrp${S}authentication${S}${VALUE()}`),
  // DOCSIS: `cable shared-secondary-secret index 1 7 X` (the index first, then the type and value).
  form(['shared-secret', 'shared-secondary-secret'], rx()`\bcable${S}shared-(?:secondary-)?secret${S}(?:index${S}\d+${S})?${TYPE}${VALUE()}`),
  // IOS-XR's ConfD settings: `confdConfig encryptedStrings DES3CBC key1 0123…` (the keys stored strings are encrypted with).
  form('encryptedstrings', rx()`\bencryptedStrings${S}\w+${S}(?:key\d*|initVector)${S}${VALUE()}`),
  // `syscon address A X` (the password the router gives the SYSCON shelf manager).
  form('syscon', rx()`\bsyscon${S}address${S}\S+${S}${VALUE()}`),
  // Manual IPsec keys in a crypto map: `set session-key inbound|outbound ah SPI X`,
  // `set session-key … esp SPI [cipher X] [authenticator Y]`.
  form('session-key', rx()`\bset${S}session-key${S}(?:inbound|outbound)${S}(?:ah${S}\d+${S}${VALUE()}|esp${S}\d+(?:${S}cipher${S}${VALUE('2')})?(?:${S}authenticator${S}${VALUE('3')})?)`),
  // NX-OS PIM: `ip pim hello-authentication ah-md5 [0|3|7] X`.
  form('hello-authentication', rx()`\bhello-authentication${S}ah-md5${S}${TYPE}${VALUE()}`),
  // RMON: `rmon event N [log] trap COMMUNITY [description …] [owner …]` (the community the trap is sent with).
  form('rmon', rx()`\brmon${S}event${S}\d+(?:${S}log)?${S}trap${S}${VALUE()}`),
  // HSRP: `standby 1 authentication X`, `standby 1 authentication text X` (md5 uses key-string).
  form('standby', rx()`\bstandby${S}(?:\d+${S})?authentication${S}(?:text${S})?(?!(?:md5|text)\b)${VALUE()}`),
];

/** ASA's forms beyond the family's (FTD's LINA writes the same): 502101's `Encpass`, `passwd … encrypted`, `failover key`, `ssh authentication publickey`. */
export const asaForms: SecretGrammar = [
  // `%ASA-5-502101: New user added to local dbase: Uname: bob Priv: 15 Encpass: X`.
  form('encpass', rx()`\bEncpass:(?:${S})?${VALUE()}`),
  // `passwd 2KFQnbNIdI.2KYOU encrypted` (the telnet/ssh password); typed at the CLI it is quoted in 111008.
  needing(form('passwd', rx()`${cmd('passwd')}${S}${VALUE()}(?=${S}encrypted\b|' command)`), ['encrypted', '\' command']),
  form('failover', rx()`\bfailover${S}key${S}(?:hex${S})?${VALUE()}`),
  form('publickey', rx()`\bssh${S}authentication${S}publickey${S}(?<v>[A-Za-z0-9+/]{32,}={0,2})`, redactPublicKey),
];
