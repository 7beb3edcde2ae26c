// Secrets on Linux command lines (auditd EXECVE, Falco `proc.cmdline`, sudo, shell history), for
// the Linux and Falco grammars:
// passwords given to useradd/usermod, chpasswd's input, `passwd --stdin`, openssl passwd, sshpass.

import { NOT_A_JOINED_ONLY_TOOL, NOT_A_VARIABLE, toolArgumentForms } from './command-options.js';
import { REDACTED, S, SEP, after, ahead, chained, hidden, userSecret, VALUE, WORD, form, needing, rx, type SecretGrammar } from './grammar.js';

/**
 * Inside one argument a space is no separator: a stand-in the gate reads as part of a word (not
 * `\s`, above latin1 so no decoded byte is one), so `-pmy pass` or `--password=my pass` is one value.
 */
const IN_ARGUMENT_SPACE = '\ue000';
const joinWords = (arg: string): string => arg.replaceAll(' ', IN_ARGUMENT_SPACE);
const hexOf = (text: string): string => Buffer.from(text.replaceAll(IN_ARGUMENT_SPACE, ' '), 'latin1').toString('hex').toUpperCase();

/** The arguments of an EXECVE record before `before`'s end, decoded, each one word. */
function argumentsBefore(before: string): string[] {
  const out: string[] = [];
  for (const m of before.matchAll(/\ba\d{1,5}=(?:"([^"]*)"|((?:[0-9A-F]{2})+)(?![0-9A-Za-z]))/g)) {
    out.push(joinWords(m[1] ?? Buffer.from(m[2]!, 'hex').toString('latin1')));
  }
  return out;
}

/**
 * One argument (or PROCTITLE's whole command) through the gate, after the arguments before it
 * (`context`, each one word): what they become is theirs. Undefined when they read differently with
 * this one after them, so its part cannot be told.
 */
function redactArgument(arg: string, context: string, again: (text: string) => string): string | undefined {
  const line = context ? `${context} ${arg}` : arg;
  const out = again(line);
  if (out === line || !context) return out === line ? arg : out;
  const head = `${again(context)} `;
  return out.startsWith(head) ? out.slice(head.length) : undefined;
}

/**
 * A hex-encoded argument (auditd writes one holding a space, a quote or a control byte so) with its
 * secrets replaced, still hex (unchanged when it holds none). PROCTITLE's value is the whole command,
 * its arguments apart by NULs; an EXECVE `aN=` is one argument, read after the record's arguments
 * before it (`mysql -u root` then `-pmy pass`: the tool is in `a0`). Read twice: with its spaces as
 * a shell's (an argument that is a script, `bash -c "echo X | chpasswd"`), then as part of one word
 * (`-pmy pass`, `--password=my pass`: the value runs to the argument's end). Hidden whole when the
 * arguments before it would read differently with it.
 */
function fromHex(hex: string, again: (text: string) => string, before: string): string {
  const decoded = Buffer.from(hex, 'hex').toString('latin1');
  const context = /\ba\d{1,5}=$/.test(before) ? argumentsBefore(before).join(' ') : '';
  const first = redactArgument(decoded, context, again);
  const second = first === undefined ? undefined : redactArgument(joinWords(first), context, again);
  if (second === undefined) return REDACTED;
  const out = second.replaceAll(IN_ARGUMENT_SPACE, ' ');
  return out === decoded ? hex : hexOf(out);
}

/** `user:X` lines written with `\\n` between them (a printf format), each X replaced. */
function passwordLines(value: string): string {
  return value
    .split('\\n')
    .map((line) => line.replace(/^([^:\s]+:)(.+)$/, (_, user: string, secret: string) => (secret === REDACTED ? user + secret : user + REDACTED)))
    .join('\\n');
}

/**
 * What `echo -e` prints as lines, each one answer to a prompt (`echo -e "X\nX" | smbpasswd -s`: the
 * password, then its confirmation): each line replaced, the `\n` between kept, a variable kept.
 */
function echoedLines(value: string): string {
  return value
    .split('\\n')
    .map((line) => (line === '' || hidden(line) ? line : REDACTED))
    .join('\\n');
}

export const linuxForms: SecretGrammar = [
  // Tools whose options and positions are known (command-options.ts).
  ...toolArgumentForms,
  // A `-p` after a user given with `-u`/`-U`/`--user`/`--username` on the same command is its password
  // (`cqlsh -u U -p X`, `twine upload -u U -p X`, `dotnet nuget add source … -u U -p X`); not a port
  // (`docker run -u 1000 -p 8080:80`); nor on a tool whose `-p` takes only a joined value (mysql's
  // `-u root -p orders` asks for the password and names the database), nor a variable (`-p $PW`).
  needing(form('\\b-u', rx()`(?<![\w-])(?:-u|-U|--user|--username)(?:=|${S})[^\s-]\S*${ahead(String.raw`(?<![\w-])(?:-u|-U|--user|--username)\b`, '[^\n|;&]')}${SEP}(?:-p|-P|--pass)${NOT_A_JOINED_ONLY_TOOL}${S}(?!-|\d{1,5}(?::\d{1,5}){0,2}(?:\/(?:tcp|udp|sctp))?(?![^\s"']))${NOT_A_VARIABLE}${VALUE()}`), ['-p', '-P']),
  // Kerberos principals: `addprinc -pw X NAME`, `cpw -pw X NAME` (inside `kadmin -q "…"`).
  form(['addprinc', 'add_principal', 'cpw', 'change_password', 'ank'], rx()`\b(?:addprinc|add_principal|cpw|change_password|ank)\b${ahead(String.raw`\b(?:addprinc|add_principal|cpw|change_password|ank)\b`, '[^\n|;&"]')}${SEP}-pw${S}${VALUE()}`),
  // VMware ESXi: `esxcli system account add|set -i NAME -p X -c X`.
  form('esxcli', rx()`\besxcli${S}system${S}account${S}(?:add|set)\b${ahead(String.raw`\besxcli\b`, '[^\n|;&]')}${SEP}(?:-p|--password)(?:=|${S})${VALUE()}(?:${S}(?:-c|--password-confirmation)(?:=|${S})${VALUE('2')})?`),
  // Positional passwords after an account name: `ipmicfg -user add ID NAME X`, `samba-tool user create|add NAME X`,
  // `net rpc password NAME X`, `composer|poetry config http-basic.REPO USER X`, `gh secret set NAME --body X`.
  form('ipmicfg', rx()`\bipmicfg${S}-user${S}(?:add|setpwd)${S}\d+${S}(?:(?<=add${S}\d+${S})${WORD}${S})?${VALUE()}`),
  form('samba-tool', rx()`\bsamba-tool${S}user${S}(?:create|add)${S}${WORD}${S}(?!-)${VALUE()}`),
  form('rpc', rx()`\bnet${S}rpc${S}password${S}${WORD}${S}(?!-)${VALUE()}`),
  form('http-basic', rx()`\b(?:composer|poetry)${S}config${S}(?:--\S+${S})*http-basic\.\S+${S}${WORD}${S}${VALUE()}`),
  needing(form('secret', rx()`\bgh${S}secret${S}set\b${ahead(String.raw`\bgh\b`, '[^\n|;&]')}${SEP}(?:-b|--body)(?:=|${S})${VALUE()}`), ['set']),
  // Wireless: `iwconfig wlan0 key [s:]X`, `wpa_cli set_network N psk '"X"'` (the inner quotes are wpa_supplicant's).
  form('iwconfig', rx()`\biwconfig\b${ahead(String.raw`\biwconfig\b`, '[^\n|;&]')}${SEP}key${S}(?:\[\d\]${S})?(?!(?:off|on|open|restricted)\b)(?:s:)?${VALUE()}`),
  form('set_network', rx()`\bset_network${S}\d+${S}(?:psk|password|wep_key[0-3]|private_key_passwd|sae_password)${S}'?"?(?<v>[^"'\s]+)`),
  // IPsec keys given to `ip xfrm state add|update … enc|auth|auth-trunc|aead ALG KEY`.
  form('xfrm', rx()`\bxfrm${S}state${S}(?:add|update)\b${ahead(String.raw`\bxfrm\b`, '[^\n|;&]')}${SEP}(?:enc|auth|auth-trunc|aead)${S}(?:'[^'\n]*'|"[^"\n]*"|[^\s'"]+)${S}${VALUE()}`),
  form('xfrm', rx()`\bxfrm${S}state${S}(?:add|update)\b${ahead(String.raw`\bxfrm\b`, '[^\n|;&]')}${SEP}(?:enc|auth|auth-trunc|aead)${S}(?:'[^'\n]*'|"[^"\n]*"|[^\s'"]+)${S}\S+${ahead(String.raw`\bxfrm\b`, '[^\n|;&]')}${SEP}(?:enc|auth|auth-trunc|aead)${S}(?:'[^'\n]*'|"[^"\n]*"|[^\s'"]+)${S}${VALUE()}`),
  // An ftp script piped in: `printf 'user NAME X\nget f\n' | ftp -n host` (read back from the pipe).
  form('ftp', rx()`${after(String.raw`\|${SEP}*(?:s?ftp|ncftp|tnftp)\b`, String.raw`(?:^|[\s'"]|\\n)user${S}[^\s\\'"]+${S}(?<v>[^\s\\'"]+)(?=\\[nrt]|[\s'"])(?:\\[nrt]|[^\n|\\])*`)}`),
  // A here-string into a tool that reads a secret from its input (`vncpasswd -f <<< X`, `kinit <<< X`).
  form('<<<', rx()`\b(?:vncpasswd|kinit|cryptsetup|smbpasswd|saslpasswd2|htpasswd|passwd)\b${ahead(String.raw`\b(?:vncpasswd|kinit|cryptsetup|smbpasswd|saslpasswd2|htpasswd|passwd)\b`, '[^\n|;&<]')}<<<${SEP}*${VALUE()}`),
  // `lftp -u user,X sftp://host`.
  form('lftp', rx()`\blftp\b${ahead(String.raw`\blftp\b`, '[^\n|;&]')}${SEP}-u${S}${userSecret(',')}`),
  // Positional passwords: `wpa_passphrase SSID X`, `radtest USER X HOST PORT SECRET`, radclient's
  // `… auth|acct SECRET`, `smbclient //HOST/SHARE X`.
  form('wpa_passphrase', rx()`\bwpa_passphrase${S}(?:"[^"\n]*"|'[^'\n]*'|[^\s"']+)${S}${VALUE()}`),
  form('radtest', rx()`\bradtest${S}(?:-[dtP]${S}\S+${S}|-[x46]${S})*[^\s-]\S*${S}${VALUE()}${S}\S+${S}\S+${S}${VALUE('2')}`),
  form('radclient', rx()`\bradclient\b${ahead(String.raw`\bradclient\b`, '[^\n|;&]')}${SEP}(?:auth|acct|status|coa|disconnect|auto)${S}${VALUE()}`),
  form('smbclient', rx()`\bsmbclient${S}(?:-[A-Za-z]${S}\S+${S})*(?:\\\\|//)[^\s"]+${S}(?![-\\/])${VALUE()}`),
  // NetworkManager's secret properties: `nmcli con modify C wifi-sec.psk X`, `802-1x.password X`,
  // `wifi-sec.wep-key0 X`, `+vpn.secrets password=X` (that one is `password=`).
  form('nmcli', rx()`\bnmcli\b${ahead(String.raw`\bnmcli\b`, '[^\n|;&]')}${SEP}[+-]?[\w-]+\.(?:psk|password|[\w-]+-password|wep-key[0-3]|pin|leap-password)${S}${VALUE()}`),
  // `bw unlock X`, `bw login EMAIL X` (Bitwarden's master password); `mkpasswd [-m M] [-S S] X`;
  // Salt's `shadow.set_password USER X`; AWS `ssm put-parameter … --value X`, Azure `keyvault secret set … --value X`.
  form('\\bbw', rx()`\bbw${S}(?:unlock|login${S}[^\s-]\S*)${S}(?!-)${VALUE()}`),
  form('mkpasswd', rx()`\bmkpasswd(?:${S}(?:-[mSRP]|--(?:method|salt|rounds))(?:=|${S})\S+)*${S}(?!-)${VALUE()}`),
  form('set_password', rx()`\bshadow\.set_password${S}${WORD}${S}${VALUE()}`),
  form('--value', rx()`\b(?:put-parameter|secret${S}set)\b${ahead(String.raw`\b(?:put-parameter|secret${S}set)\b`, '[^\n|;&]')}${SEP}--value(?:=|${S})${VALUE()}`),
  // `setx DB_PASSWORD X` (Windows; also in Linux-shaped logs of Windows tools).
  form('setx', rx('i')`\bsetx(?:\.exe)?${S}(?:\/m${S})?["']?[\w-]*(?:password|passwd|pwd|secret|token|apikey|api_key)["']?${S}${VALUE()}`),
  // Oracle's JDBC thin URLs: `jdbc:oracle:thin:user/X@host:1521/svc`.
  form('jdbc:oracle', rx()`\bjdbc:oracle:(?:thin|oci):[\w$#.]+\/(?<v>[^\s@\/"']+)@`),
  // `rclone config create|update NAME TYPE … pass X` (the key-value pairs it is given).
  form('rclone', rx()`\brclone${S}config${S}(?:create|update)\b${ahead(String.raw`\brclone\b`, '[^\n|;&]')}${SEP}(?:pass|password|key|secret_access_key|client_secret|token)${S}${VALUE()}`),
  // Oracle's tools take `user/password[@db]`: `sqlplus system/X@ORCL`, `expdp system/X directory=…`.
  needing(form(['\\bsqlplus', '\\bsqlldr', '\\bexp', '\\bimp', '\\brman', '\\bdgmgrl'], rx()`\b(?:sqlplus|sqlldr|expdp|impdp|rman|dgmgrl|exp|imp)(?:${S}-\w+)*${S}(?:(?:userid|target|catalog|auxiliary)(?:=|${S}))?["']?[\w$#.]+\/(?<v>[^\s@/"']+)`), ['/']),
  // impacket's tools: `impacket-psexec [DOMAIN/]USER:X@HOST`, `secretsdump.py USER:X@HOST`.
  form(['impacket', '.py'], rx()`\b(?:impacket-\w+|\w+\.py)${S}(?:-\S+${S})*(?:[\w.-]+\/)?[\w.$-]+:(?<v>[^\s@]+)@`),
  // kubectl's literals in a Secret: `--from-literal=password=X`, `--from-literal=api-token=X`.
  form('from-literal', rx('i')`--from-literal=[\w.-]*(?:pass|pwd|secret|token|key|auth|credential)[\w.-]*=${NOT_A_VARIABLE}${VALUE()}`),
  // A secret echoed into a tool that reads it from its input: `echo X | kinit`, `echo -n X |
  // cryptsetup luksOpen …`, `(echo X; echo X) | smbpasswd -s -a bob`, FreeBSD's `echo X | pw useradd … -h 0`,
  // and any command with an option that says so (`docker login --password-stdin`, `openconnect --passwd-on-stdin`).
  form('echo', rx()`\becho${S}(?:-[ne]+${S})?${NOT_A_VARIABLE}${VALUE()}(?=(?:;${S}echo${S}(?:-[ne]+${S})?(?:"[^"\n]*"|'[^'\n]*'|[^\s;)|]+))?${SEP}*\)?${SEP}*\|${SEP}*(?:sudo${S}(?:-\w+${S})*)?(?:kinit|cryptsetup|smbpasswd|saslpasswd2|htpasswd|ksu|pw${S}(?:useradd|usermod|adduser)|realm${S}join|adcli${S}join|net${S}ads${S}join|vault${S}login|(?:docker|podman|nerdctl|helm|oras|skopeo|buildah)${S}(?:registry${S})?login|[\w.-]+(?:${S}[^\s|;&]+)*?${S}--?(?:password-stdin|passwd-on-stdin|stdin-password|pass-stdin|password-from-stdin)\b))`, echoedLines),
  // `useradd -m -p HASH eve`, `usermod --password=HASH eve`, and getopt's joined forms: `-pHASH`, and
  // `-mp HASH` / `-mpHASH` after the options that take no argument (useradd's and usermod's).
  needing(form(['useradd', 'usermod'], rx()`\b(?:useradd|usermod)\b${ahead(String.raw`\b(?:useradd|usermod)\b`, '[^|;&\\n]')}${SEP}(?:--password(?:${S}|=)|-[aDlLmMNorU]*p(?:${S}|=)?)(?!["']?\$\()${VALUE()}`), ['-']),
  // `echo 'bob:X' | chpasswd`, `echo bob:X|sudo chpasswd`.
  form('chpasswd', rx()`(?<=["'\s]|^)[\w.-]+:(?<v>[^\s"':|]+)(?=["']?\s*\|\s*(?:sudo\s+)?chpasswd\b)`),
  // Several `user:X` lines in one printed string (`printf 'bob:X\neve:Y\n' | chpasswd`, `echo -e …`):
  // the string is read once and each line's password replaced, its user kept.
  form('chpasswd', rx()`\b(?:printf|echo)${S}(?:-[neE]+${S})*(?:'(?<vp>[^'\n]*\\n[^'\n]*)'|"(?<vp2>[^"\n]*\\n[^"\n]*)")${SEP}*\|${SEP}*(?:sudo${S}(?:-\w+${S})*)?chpasswd\b`, passwordLines),
  // `chpasswd <<< 'bob:X'`.
  form('chpasswd', rx()`\bchpasswd${SEP}*<<<${SEP}*["']?[\w.-]+:(?<v>[^\s"')]+)`),
  // `echo X | passwd --stdin bob`, `passwd --stdin bob <<< X`.
  form('--stdin', rx()`\becho${S}(?:-[ne]+${S})?${VALUE()}(?=${SEP}*\|${SEP}*(?:sudo${S})?passwd${S}--stdin\b)`),
  form('--stdin', rx()`\bpasswd${S}--stdin\b${ahead(String.raw`\bpasswd${S}--stdin\b`, '[^\n<]')}<<<${SEP}*${VALUE()}`),
  // `openssl passwd -6 -salt s X` prints a crypt hash of X.
  needing(form('pass', rx()`\bopenssl${S}passwd(?:${S}-(?:salt${S}[^\s\x00-\x1f]+|[^\s\x00-\x1f]+))*${S}(?!-)(?:"(?<vq>[^"]*)"|'(?<vs>[^']*)'|(?<vw>[^\s\x00-\x1f)"']+))`), ['openssl']),
  // `curl -u user:X https://…`.
  form('curl', rx()`\bcurl\b${ahead(String.raw`\bcurl\b`, '[^\\n|;&]')}${SEP}(?:-u|--user|-U|--proxy-user)${S}${userSecret(':')}`),
  // `htpasswd -b [-c] FILE USER X`.
  form('htpasswd', rx()`\bhtpasswd((?:${S}-[a-zA-Z]+)*)${S}[^\s"-][^\s"]*${S}[^\s"]+${S}${VALUE()}(?<=htpasswd${S}(?:-[a-zA-Z]+${S})*-[a-zA-Z]*b[^\n]*)`),
  // `htpasswd -nb USER X` prints the entry (no file); `mosquitto_passwd -b FILE USER X` as htpasswd.
  form('htpasswd', rx()`\bhtpasswd${S}-(?=[a-zA-Z]*n)(?=[a-zA-Z]*b)[a-zA-Z]+${S}${WORD}${S}${VALUE()}`),
  form('mosquitto_passwd', rx()`\bmosquitto_passwd${S}(?:-c${S})?-b${S}[^\s-][^\s]*${S}[^\s]+${S}${VALUE()}`),
  // `ldappasswd … -w BINDPW -s NEWPW`, `ldapmodify … -w BINDPW`.
  form('ldap', rx()`\bldap(?:passwd|modify|add|search|delete|compare|whoami|modrdn)\b${ahead(String.raw`\bldap(?:passwd|modify|add|search|delete|compare|whoami|modrdn)\b`, '[^\\n|;&]')}${SEP}-w(?:${S})?${VALUE()}`),
  // ldappasswd's `-s NEWPW` and `-a OLDPW` (a form each: a form finds one value a command); getopt
  // takes each joined too (`-wX`, `-sX`).
  ...['s', 'a'].map((o) => form('ldappasswd', rx()`\bldappasswd\b${ahead(String.raw`\bldappasswd\b`, '[^\\n|;&]')}${SEP}-${o}(?:${S})?${VALUE()}`)),
  // auditd EXECVE and PROCTITLE write an argument holding a space as hex: decoded, it passes the
  // gate, and a secret found in it is replaced inside the hex.
  form('msg=audit', rx()`\b(?:a\d+|proctitle)=(?<v>(?:[0-9A-F]{2}){6,})(?![0-9A-Za-z])`, fromHex),
  // Samba tools' `-U user%X` (`smbclient //fs/share -U dom/bob%X`, `rpcclient`, `winexe`, `net rpc|ads`),
  // joined too (`-Ubob%X`, as popt reads it).
  form(['smbclient', 'rpcclient', 'smbcacls', 'smbcquotas', 'smbtree', 'smbget', 'winexe', 'rpc', 'ads', 'rap', 'dom'], rx()`\b(?:smbclient|rpcclient|smbcacls|smbcquotas|smbtree|smbget|winexe|net${S}(?:rpc|ads|rap|dom))\b${ahead(String.raw`\b(?:smbclient|rpcclient|smbcacls|smbcquotas|smbtree|smbget|winexe|net)\b`, '[^\n|;&]')}${SEP}(?:-U(?:${S})?|--user(?:${S}|=))${userSecret('%')}`),
  // `net [-S dc1] -U bob%X ads join`: net's options before its subcommand.
  form(['rpc', 'ads', 'rap', 'dom'], rx()`\bnet(?:${S}(?!-U|--user)[^\s\x00-\x1f|;&]+){0,16}?${S}(?:-U(?:${S})?|--user(?:${S}|=))${userSecret('%')}(?=[^\n|;&]*?${S}(?:rpc|ads|rap|dom)\b)`),
  // winbind's `wbinfo -a bob%X` (and --authenticate, --set-auth-user, --krb5auth, --pam-logon, --ccache-save).
  form('wbinfo', rx()`\bwbinfo\b${ahead(String.raw`\bwbinfo\b`, '[^\n|;&]')}${SEP}(?:-a|--authenticate|--set-auth-user|--krb5auth|--pam-logon|--ccache-save)(?:${S}|=)${userSecret('%')}`),
  // OpenSSL's pass phrase arguments (`-passout pass:X`, `-passin pass:X`, `-pass pass:X`; `env:` and `file:` name no secret).
  needing(form('pass:', rx()`(?<![\w-])-(?:pass|passin|passout|password)${S}pass:${VALUE()}`), ['-pass']),
  // keytool's `-storepass X`, `-keypass X`, `-srcstorepass X`, `-deststorepass X` (`-storepass:env VAR` names one).
  form(['storepass', 'keypass'], rx()`(?<![\w-])-(?:src|dest|new)?(?:store|key)pass${S}${VALUE()}`),
  // `sudo -S <<< X …` (a here-string into sudo's input).
  needing(form('\\bsudo', rx()`\bsudo${S}(?:-[A-Za-z]+${S})*?-[A-Za-z]*S\b${ahead(String.raw`\bsudo\b`, '[^\n|;&<]')}<<<${SEP}*${NOT_A_VARIABLE}${VALUE()}`), ['<<<']),
  // `echo X | sudo -S …` (sudo reads the password from its input).
  needing(form('sudo', rx()`\becho${S}(?:-[ne]+${S})?${VALUE()}(?=${SEP}*\|${SEP}*sudo${S}(?:-[A-Za-z]+${S})*-[A-Za-z]*S\b)`), ['echo']),
  // Net-SNMP tools: `snmpwalk -v2c -c COMMUNITY`, `-A AUTHPASS`, `-X PRIVPASS`; joined as getopt takes them
  // (`-Apass`), or after `=` as SharpSnmpLib's snmpwalk.exe writes them (`-A=pass`).
  // The option may come again on the same command (`-A=X … -A=Y`): each is a value, read on from the last.
  ...['c', 'A', 'X'].map((option) =>
    chained(
      form('snmp', rx()`\bsnmp(?:walk|bulkwalk|get|getnext|bulkget|set|table|trap|inform|status|df|netstat|delta|usm|vacm|test)\b${ahead(String.raw`\bsnmp\w*\b`, '[^\n|;&]')}${SEP}-${option}(?:${S}|=)?${VALUE()}`),
      rx('y')`${ahead(String.raw`\bsnmp\w*\b`, '[^\n|;&]')}${SEP}-${option}(?:${S}|=)?${VALUE()}`,
    ),
  ),
  // snmpd.conf: `createUser NAME SHA "X" AES "Y"`, `trap2sink HOST COMMUNITY`, `trapcommunity X`.
  form('createuser', rx()`\bcreateUser${S}(?:-e${S}\S+${S})?[^\s"']+${S}(?:MD5|SHA[-\w]*)${S}${VALUE()}(?:${S}(?:DES|AES[-\w]*)${S}${VALUE('2')})?`),
  form(['trapsink', 'trap2sink', 'informsink', 'trapcommunity'], rx('m')`^[^\S\n]*(?:(?:trapsink|trap2sink|informsink)${S}[^\s"']+|trapcommunity)${S}${VALUE()}`),
  // Remote desktop clients: `xfreerdp /p:X` (`rdesktop -p X`: command-options.ts).
  form('freerdp', rx()`\b(?:xfreerdp|wlfreerdp|sdl-freerdp)\b${ahead(String.raw`\b\w*freerdp\b`, '[^\n|;&]')}${SEP}/p:${VALUE()}`),
];
