// Secret removal for text that came from a device log line or command: a `username bob
// password 0 Cleartext1` logged with `hidekeys` off must never reach the database, a log, a page
// or an export. Used on every stored raw message and on every command a record carries.
// Configuration files have their own, context-aware redaction in each platform's config module.

export const REDACTED = '<redacted>';

// Each rule keeps the keyword (so a reader still sees what was set) and replaces the value.
// Values already masked by the device (`*`, `*****`) are left alone. A rule with a literal after it
// runs only on text that contains that literal (lower-cased): those rules backtrack over every word
// of a line, and nearly no line needs them.
type Rule = RegExp | readonly [RegExp, string];

const RULES: Rule[] = [
  // `openssl passwd -6 -salt s x` prints a crypt hash of x; before the `passwd` rule below, which
  // would take the first option for the value.
  /(\bopenssl\s+passwd(?:\s+-(?:salt\s+\S+|\S+))*\s+)(?!-)([^\s|;&]+)/g,
  // TACACS+ command arguments one per attribute, as ISE logs them (`CmdArgAV=secret CmdArgAV=0
  // CmdArgAV=x`) and TACACS+ authorisation carries them (`cmd-arg=password cmd-arg=x`). Runs
  // first, so the rule below never takes the `CmdArgAV=0` token for the value.
  /(\b(?:CmdArgAV|cmd-arg)=(?:password|secret|passwd|key-string|pre-shared-key|passphrase|community|key)\s+(?:(?:CmdArgAV|cmd-arg)=(?:0|4|5|6|7|8|9|10|sha512|sha256|md5|encrypted|cleartext|hidden|scrypt)\s+)?(?:CmdArgAV|cmd-arg)=)(?!<cr>)([^\s,\]]+)/gi,
  // Cisco IOS/NX-OS/EOS/ASA/XR, Junos, PAN-OS: `password 0 x`, `secret 9 $9$…`, `secret sha512 $6$…`,
  // `password x encrypted`, `key-string x`, `pre-shared-key x`, `community x`, `phash x`; Huawei
  // VRP and H3C Comware `password irreversible-cipher|cipher|simple|hash x`, `community read cipher
  // x`; AOS-CX `password ciphertext x`.
  /(\b(?<!\bopenssl\s+)(?:password|secret|passwd|key-string|pre-shared-key|passphrase|community|encrypted-password|plain-text-password-value|auth-password|priv-password|phash)(?:\s+(?:read|write)(?=\s))?(?:\s+(?:0|4|5|6|7|8|9|10|sha512|sha256|md5|ENC|encrypted|unencrypted|cleartext|plaintext|hidden|scrypt|irreversible-cipher|cipher|ciphertext|simple|hash))?\s+)(?!(?:irreversible-cipher|cipher|ciphertext|simple|hash)\s+\*+(?:\s|$))("[^"]*"|'[^']*'|(?!\*+(?:\s|$))(?!(?:CmdArgAV|cmd-arg)=)\S+)/gi,
  // `authentication-key "x"` (Junos), `ntp authentication-key 1 md5 x 7` (IOS).
  /(\bauthentication-key(?:\s+\d+\s+(?:md5|sha1|sha256|cmac-aes))?\s+)("[^"]*"|\S+)/gi,
  // A bare `key` only where it is a secret: with a type digit (`key 7 x`), or on a server line
  // (`tacacs-server key x`, `radius-server host 10.1.1.1 key x`) — not `show key chain`.
  /((?<![\w-])key\s+[0-9]\s+)(\S+)/gi,
  /(\b(?:tacacs-server|radius-server|server|host\s+\S+)(?:\s+\S+)*?\s+key\s+)(?![0-9]\s)(\S+)/gi,
  // SSH public keys (Junos `ssh-rsa "AAAA…"`, EOS `ssh-key ssh-rsa AAAA…`): the key material.
  /(\b(?:ssh-rsa|ssh-dss|ssh-ed25519|ecdsa-sha2-nistp\d+|sk-ssh-ed25519@openssh\.com)\s+)("[^"]*"|[A-Za-z0-9+/=]{16,})/g,
  // key=value forms (tac_plus, FortiOS, RADIUS AVPairs): `password=x`, `passwd="x"`.
  /(\b(?:password|passwd|secret|pre-shared-key|psk|key)=)("[^"]*"|[^\s,;]+)/gi,
  // XML text of a secret-named element, as NX-OS accounts a RESTCONF payload (`<pwd>x</pwd>`,
  // `<password>x</password>`, `<key>x</key>`): up to the next tag, or the end of a payload cut short.
  /(<(?:[\w.-]+:)?[\w.-]*?(?:pwd|password|passwd|secret|passphrase|psk|key)(?:-string)?(?:\s[^<>]*)?>)([^<]+)/gi,
  // NX-OS DME attributes (`<aaaUser name="bob" pwd="x"/>` in a COMMIT entry's object tree): quoted
  // and lower-case only, so a shell `PWD=/home/x` (sudo, auditd) stays.
  [/(\b[a-z]*pwd=")([^"]+)(?=")/g, 'pwd='],
  [/(\b[a-z]*pwd=')([^']+)(?=')/g, 'pwd='],
  // AOS-CX event 2302 prints a changed TACACS+/RADIUS key: `tacacs_passkey update :   -> X`.
  [/(\b\w*passkey\b[^\n>]{0,40}->\s*)(\S+)/gi, 'passkey'],
  // Credentials in a URL (`Configured from tftp://user:x@host/file`, `copy scp://user:x@host …`).
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^\s:@\/]+:)([^\s@\/]+)(?=@)/gi, '://'],
  // SNMPv3 users (`snmp-server user u g v3 auth sha x priv aes 128 y`, NX-OS `… auth md5 x priv y`).
  /(\bauth\s+(?:md5|sha[\w-]*)\s+)(\S+)/gi,
  /(\bpriv\s+(?:(?:aes|des|3des)(?:[\s-]?\d{3})?\s+)?)(\S+)/gi,
  // Hashes that stand alone: crypt(3) `$1$…`, `$5$…`, `$6$…`, `$9$…`, ASA `$sha512$…`.
  /()(\$(?:1|2[aby]?|5|6|7|8|9|sha512|y)\$[^\s"']+)/g,
  // Linux command lines (Falco `proc.cmdline`, auditd EXECVE): `useradd -p x bob`,
  // `usermod --password x bob`, `echo 'bob:x' | chpasswd`.
  /(\b(?:useradd|usermod)\b[^|;&\n]*?\s(?:-p|--password)(?:\s+|=))("[^"]*"|'[^']*'|\S+)/g,
  [/(["']?[\w.-]+:)([^\s"':|]+)(?=["']?\s*\|\s*(?:sudo\s+)?chpasswd\b)/g, 'chpasswd'],
  // FreeRADIUS with `auth_badpass`/`auth_goodpass`: `Login incorrect: [bob/Password1] (from client …`.
  /(\bLogin (?:OK|incorrect)(?: \([^)]*\))?: \[[^\]/]*\/)(?!<via )([^\]]+)(?=\] \(from client )/g,
];

// JSON records (CloudTrail `requestParameters`, O365 cmdlet `Parameters`): the value of a key
// named like a secret, and the `Value` of a `{"Name": "Password", "Value": …}` pair. The value is
// replaced by a JSON string so the record stays valid JSON.
const JSON_RULES: RegExp[] = [
  /("[\w.-]*(?:password|passwd|secret|privatekey|private_key)[\w.-]*"\s*:\s*)("(?:[^"\\]|\\.)*")/gi,
  // NX-OS model leaves (`"pwd": "x"` in a RESTCONF payload), not `"pwdEncryptType"`.
  /("(?:[\w.-]+:)?[a-z]*pwd"\s*:\s*)("(?:[^"\\]|\\.)*")/gi,
  /("Name"\s*:\s*"[^"]*(?:password|secret)[^"]*"\s*,\s*"Value"\s*:\s*)("(?:[^"\\]|\\.)*")/gi,
];
const QUOTED_REDACTED = `"${REDACTED}"`;

// Run on the lower-cased text: a case-insensitive alternation costs a third more on every line.
const QUICK = /password|secret|passwd|pwd|key|community|hash|passphrase|psk|\$\d\$|\$sha512\$|ssh-|md5|useradd|usermod|login (?:ok|incorrect)|:\/\/[^\s\/@]+:[^\s\/@]+@|\bauth\s+sha|\bpriv\s/;

/** The text with every password, secret, hash and key value replaced by `<redacted>`. */
export function redactSecrets(text: string): string {
  const lower = text.toLowerCase();
  if (!QUICK.test(lower)) return text;
  let out = text;
  for (const rule of JSON_RULES) {
    out = out.replace(rule, (whole, keep: string, value: string) => (value === QUOTED_REDACTED ? whole : keep + QUOTED_REDACTED));
  }
  for (const r of RULES) {
    const rule = r instanceof RegExp ? r : lower.includes(r[1]) ? r[0] : undefined;
    if (!rule) continue;
    out = out.replace(rule, (whole, keep: string, value: string) => {
      if (value === REDACTED || value === QUOTED_REDACTED || /^\*+$/.test(value)) return whole;
      return keep + REDACTED;
    });
  }
  return out;
}
