// Secret forms of appliances aaawatch has no platform module for, whose commands still reach it:
// Cisco wireless controllers (AireOS) through TACACS+ command accounting, ExtremeXOS's
// `cli.logRemoteCmd`, Citrix ADC's `CMD_EXECUTED`. They are part of the generic grammar (lines of
// any sender are read with it): each is anchored on the vendor's own command words, so it is as exact
// as a platform's. A platform module for one of these vendors takes its forms from here.

import { ahead, S, SEP, TYPE, VALUE, WORD, form, needing, rx, type SecretGrammar } from './grammar.js';

export const applianceForms: SecretGrammar = [
  // AireOS: `config radius auth|acct add N ADDR PORT ascii|hex X`, `config tacacs auth|acct|athr add N ADDR PORT ascii|hex X`,
  // `config radius auth keywrap add ascii|hex KEK MACK`.
  form(['ascii', 'hex'], rx()`\bconfig${S}(?:radius|tacacs)${S}(?:auth|acct|athr)${S}add${S}\d+${S}\S+${S}\d+${S}(?:ascii|hex)${S}${VALUE()}`),
  form('keywrap', rx()`\bconfig${S}radius${S}auth${S}keywrap${S}add${S}(?:ascii|hex)${S}${VALUE()}${S}${VALUE('2')}`),
  // `config mgmtuser add NAME X read-write|read-only|lobby-admin`, `config mgmtuser password NAME X`,
  // `config netuser add NAME X wlan|guestlan …`, `config netuser password NAME X` (`add encrypt NAME 1 …`: the encrypted form below).
  form(['mgmtuser', 'netuser'], rx()`\bconfig${S}(?:mgmtuser|netuser)${S}(?:add|password)${S}(?!encrypt\b)${WORD}${S}${VALUE()}`),
  // A value AireOS stores encrypted, as `show run-config commands` prints it: `encrypt`, later on the line `1 KEY MAC LEN DATA`
  // (`config radius auth|acct add encrypt N ADDR PORT password 1 …`, `config mgmtuser add encrypt NAME 1 … read-write`,
  // `transfer download encrypt password 1 …`, `config wlan security wpa akm psk set-key hex encrypt 1 …`).
  form('encrypt', rx()`\bencrypt\b${ahead(String.raw`\bencrypt\b`)}${SEP}1${S}(?<v>[0-9a-f]{32})${S}(?<v2>[0-9a-f]{40})${S}\d{1,3}${S}(?<v3>[0-9a-f]{16,})(?![^\s\x00-\x1f\x7f])`),
  // `config switchconfig fips-authorization-secret encrypt 1 X X 16 X` as `show run-config commands` prints it.
  form('fips-authorization-secret', rx()`\bfips-authorization-secret${S}encrypt${S}\d+${S}${VALUE()}${S}${VALUE('2')}${S}\d+${S}${VALUE('3')}`),
  // `config snmp community create|delete X`, `… accessmode ro|rw X`, `… mode enable|disable X`, `… ipaddr A M X`.
  form('community', rx()`\bconfig${S}snmp${S}community${S}(?:accessmode${S}(?:ro|rw)|mode${S}(?:enable|disable)|ipaddr${S}\S+${S}\S+|ipv6addr${S}\S+${S}\S+)${S}${VALUE()}`),
  // `config snmp v3user create NAME ro|rw none|hmacmd5|hmacsha none|des|aescfb128 AUTHKEY PRIVKEY`.
  form('v3user', rx()`\bconfig${S}snmp${S}v3user${S}create${S}${WORD}${S}(?:ro|rw)${S}(?:hmacmd5|hmacsha)${S}(?:des|aescfb128)${S}${VALUE()}${S}${VALUE('2')}`),
  form('v3user', rx()`\bconfig${S}snmp${S}v3user${S}create${S}${WORD}${S}(?:ro|rw)${S}(?:hmacmd5|hmacsha)${S}none${S}${VALUE()}`),
  // ExtremeXOS: `create account admin|user NAME [encrypted] X`; `configure snmpv3 add user NAME
  // authentication md5|sha X [privacy des|aes X]`.
  form('\\bcreate\\b', rx()`\bcreate${S}account${S}(?:admin|user)${S}${WORD}${S}(?:encrypted${S})?${VALUE()}`),
  form('snmpv3', rx()`\bsnmpv3${S}add${S}user${S}${WORD}${S}(?:engine-id${S}\S+${S})?authentication${S}(?:md5|sha\w*)${S}${TYPE}${VALUE()}(?:${S}privacy${S}(?:des|3des|aes\w*)${S}${TYPE}${VALUE('2')})?`),
  // Pluribus Netvisor: `snmp-trap-sink-create|delete|modify community X dest-host A` (`snmp-community-create community-string X`: an option).
  form('snmp-trap-sink', rx()`\bsnmp-trap-sink-(?:create|delete|modify)${S}community${S}${VALUE()}`),
  // Citrix ADC: `add system user NAME X [-externalAuth …]` (`set system user NAME -password X`: an option).
  // `set system user NAME X -encrypted` as `show ns runningConfig` prints a stored hash.
  needing(form('system', rx()`\b(?:add|set)${S}system${S}user${S}${WORD}${S}(?!-)${VALUE()}`), ['add', 'set']),
];
