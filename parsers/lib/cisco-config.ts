// Where Cisco-syntax configuration puts a secret on a line: the IOS rules, which NX-OS, EOS, ASA and
// IOS-XR share and add their own to (through CiscoRedaction), so one place knows them.

import { REDACTED, applyRules, redactKeyMaterial, redactPrivateKeyBlocks, redactUnambiguous, splitLines } from './config-text.js';

/** A value with an optional encryption type before it: `7 0822455D0A16`, `sha512 $6$…`, `0 plain`. */
const TYPED = String.raw`(?:\s+(?:\d{1,2}|sha512|sha256|md5|pbkdf2|scrypt|encrypted|cleartext|hidden|ascii\s+\d|hex\s+\d))?`;
const VALUE = String.raw`("[^"]*"|\S+)`;

/** Rules every Cisco-syntax platform shares; each keeps the keyword and replaces the value. */
const CISCO_RULES: readonly RegExp[] = [
  // `enable secret 9 …`, `username x privilege 15 secret 9 …`, ` password 7 …` (line vty), `ppp chap password 7 …`,
  // `passwd … encrypted` (ASA), `neighbor x password 7 …`, `pre-shared-key local …`. ASA's
  // `password encryption aes` and IKEv2's `pre-shared-key address …` name no secret.
  new RegExp(String.raw`(\b(?:password|secret|passwd|passphrase)(?:\s+level\s+\d+)?${TYPED}\s+)(?!(?:encryption|policy|history|lifetime|warntime|gracetime|minimum|min-length|max-length)\b|!(?:\s|$))${VALUE}`, 'g'),
  new RegExp(String.raw`(\bpre-shared-key(?:\s+(?:local|remote))?${TYPED}\s+)(?!address\b|hostname\b|local\b|remote\b)${VALUE}`, 'g'),
  // IKEv2 keyrings `pre-shared-key address 0.0.0.0 0.0.0.0 key x`, `crypto isakmp key x address y`.
  new RegExp(String.raw`(\b(?:pre-shared-key\s.*?\s|crypto isakmp\s+)key${TYPED}\s+)${VALUE}`, 'g'),
  // `tacacs-server key 7 …`, `radius-server host 10.1.1.1 key …`, `server-private 10.1.1.1 key 7 …`.
  new RegExp(String.raw`(^\s*(?:tacacs-server|radius-server|server-private|server)\b.*?\skey${TYPED}\s+)${VALUE}`, 'g'),
  // `client 10.1.1.1 server-key 7 …` (dynamic authorization), `key-string 7 …` (key chains, HSRP).
  new RegExp(String.raw`(\b(?:server-key|key-string|auth-key)${TYPED}\s+)${VALUE}`, 'g'),
  // `ntp authentication-key 1 md5 … 7`, `ip ospf authentication-key 7 …`, `ip ospf message-digest-key 1 md5 7 …`.
  new RegExp(String.raw`(\b(?:authentication-key|message-digest-key)(?:\s+\d+)?(?:\s+(?:md5|sha1|sha256|cmac-aes))?${TYPED}\s+)${VALUE}`, 'g'),
  // `snmp-server community public RO 5`, `snmp community …`.
  new RegExp(String.raw`(^\s*snmp(?:-server)? community\s+)${VALUE}`, 'g'),
  // SNMPv3 users: `… auth md5 x priv aes 128 y`, `… auth sha x priv aes-128 y localizedV2key`.
  new RegExp(String.raw`(^\s*snmp-server user\s.*?\bauth\s+(?:md5|sha\S*)${TYPED}\s+)${VALUE}`, 'g'),
  new RegExp(String.raw`(^\s*snmp-server user\s.*?\bpriv\s+(?:des\S*|3des|aes(?:-\d+|\s+\d+)?)${TYPED}\s+)${VALUE}`, 'g'),
  // `wpa-psk ascii 0 …`.
  new RegExp(String.raw`(\bwpa-psk${TYPED}\s+)${VALUE}`, 'g'),
];

// Block children whose bare ` key …` (or ` pac key …`) is the server's shared secret (not a key-chain key id).
const KEY_PARENT = /^(?:tacacs|radius|aaa-server|aaa server|aaa group server)\b/;

/**
 * `snmp-server host ADDR [vrf V] [informs|traps] [version 1|2c|3 [auth|noauth|priv]] WORD …`: for
 * versions 1 and 2c the word is the community; for version 3 it is a user name and stays.
 */
function redactSnmpHost(line: string): string {
  const m = /^(\s*snmp-server host\s+\S+)(.*)$/.exec(line);
  if (!m) return line;
  const words = m[2]!.split(/(\s+)/);
  let i = 0;
  const next = (): string | undefined => {
    while (i < words.length && (words[i] === '' || /^\s+$/.test(words[i]!))) i++;
    return words[i];
  };
  let v3 = false;
  for (;;) {
    const w = next();
    if (w === undefined) return line;
    if (w === 'vrf' || w === 'udp-port') {
      i++;
      next();
      i++;
    } else if (w === 'informs' || w === 'traps') {
      i++;
    } else if (w === 'version') {
      i++;
      v3 = next() === '3';
      i++;
      if (v3 && /^(?:auth|noauth|priv)$/.test(next() ?? '')) i++;
    } else {
      if (!v3 && w !== REDACTED) words[i] = REDACTED;
      return m[1] + words.join('');
    }
  }
}

/** Lines of free text a person wrote: never rewritten, so a banner saying "password" stays readable. */
const PROSE = /^\s*(?:description|remark)\s/;

export interface CiscoRedaction {
  /** Platform rules, applied before the shared ones (so a more specific form wins). */
  extra?: readonly RegExp[];
  /** Whether `snmp-server host` has IOS's positional community (ASA names it with `community`). */
  positionalSnmpHost?: boolean;
}

/** Banner bodies: IOS `banner motd ^C … ^C` (any delimiter), EOS `banner login` … `EOF`. */
function bannerEnd(line: string): ((l: string) => boolean) | undefined {
  const m = /^banner\s+\S+\s+(\^C|\S)(.*)$/.exec(line);
  if (m) {
    const delimiter = m[1]!;
    return m[2]!.includes(delimiter) ? undefined : (l) => l.includes(delimiter);
  }
  if (/^banner\s+(?:login|motd)\s*$/.test(line)) return (l) => l === 'EOF';
  return undefined;
}

/** Redact one line of Cisco-syntax configuration, given its block's opening line. */
export function redactCiscoLine(line: string, parent: string, options: CiscoRedaction = {}): string {
  if (PROSE.test(line)) return line;
  // The account name is not a keyword, even when someone calls an account `secret`.
  const user = /^(\s*username\s+\S+)(.*)$/.exec(line);
  if (user) return user[1]! + redactCiscoLine(user[2]!, parent, options);
  let out = applyRules(options.extra ? applyRules(line, options.extra) : line, CISCO_RULES);
  if (/^\s+(?:pac\s+)?key(?:\s+\d)?\s+\S/.test(out) && KEY_PARENT.test(parent)) out = applyRules(out, [/^(\s+(?:pac\s+)?key(?:\s+\d)?\s+)("[^"]*"|\S+)/]);
  if (options.positionalSnmpHost !== false) out = redactSnmpHost(out);
  return redactUnambiguous(redactKeyMaterial(out));
}

/** Redact Cisco-syntax configuration text, leaving banners and descriptions as written. */
export function redactCiscoStyle(configText: string, options: CiscoRedaction = {}): string {
  const out: string[] = [];
  let parent = '';
  let inBanner: ((l: string) => boolean) | undefined;
  for (const line of redactPrivateKeyBlocks(splitLines(configText))) {
    if (inBanner) {
      out.push(redactUnambiguous(line));
      if (inBanner(line)) inBanner = undefined;
      continue;
    }
    if (/^\S/.test(line)) parent = line;
    inBanner = bannerEnd(line);
    out.push(inBanner ? line : redactCiscoLine(line, parent, options));
  }
  return out.join('\n');
}
