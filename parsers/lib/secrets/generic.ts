// The generic secret grammar: forms that mean a secret on any vendor, and the fallback for lines
// of vendors without a grammar. It must be as exact as a platform's: each form names the token that
// is the value, and prose that happens to contain a keyword (`Failed password for root`,
// `Password Not Required`, `User priv level changed`) is not touched.

import { redactPublicKey } from '../config-text.js';
import { applianceForms } from './appliance-forms.js';
import { NOT_A_JOINED_ONLY_TOOL, NOT_A_VARIABLE } from './command-options.js';
import { after, ahead, S, SEP, TYPE, VALUE, WORD, form, needing, rx, type SecretGrammar } from './grammar.js';

/**
 * Words that follow `password` or `secret` in prose and in option names, never a value:
 * sshd's `Failed password for root`, `password changed`, ASA's `password encryption aes`, NX-OS's
 * `password strength-check`, IOS's `ip msdp password peer ADDR` (its value comes after the
 * address), kubectl's `create secret generic|docker-registry NAME`, VOSS's `password password-history 3`, Junos's
 * `authentication-order [ password radius ]`, DOCSIS's `shared-secondary-secret index 1 7 X` (its own form reads X),
 * Cisco SG's `ssd file passphrase control unrestricted`, FTOS's `password 7 sha256-password 8 X` (the hash
 * keyword's own form reads X), Junos's `set system login password minimum-length|maximum-lifetime|minimum-reuse N`
 * (any `minimum-`/`maximum-` option);
 * nor a path under a system directory (`grep -ri password /etc/app/`).
 */
const NOT_A_VALUE = String.raw`(?!(?:for|of|to|is|was|were|has|have|had|be|been|being|change|changed|changes|changing|expired|expire|expires|expiry|expiration|required|not|policy|encryption|history|lifetime|warntime|gracetime|minimum|maximum|min-length|max-length|length|age|aging|complexity|mismatch|incorrect|failed|failure|check|checking|authentication|prompt|reset|update|updated|recovery|and|or|the|a|an|from|by|with|without|on|in|at|as|field|attribute|protected|type|none|never|last|must|did|does|do|will|can|cannot|should|may|matched|match|accepted|rejected|invalid|wrong|bad|set|verify|verification|file|quality|strength|algorithm|option|options|server|store|login|used|entry|entered|request|requested|command|dictionary|retry|lockout|attempts?|length-check|level|mode|format|minimum-length|maximum-length|change-type|minimum-changes|hash-algorithm|add|remove|print|export|edit|find|manager|operator|peer|strength-check|generic|docker-registry|added|removed|deleted|created|string|complexity-rules|show|list|download|purge|recover|backup|restore|count|counter|unchanged|complexity-check|password-history|radius|tacplus|index|encrypt|long-mode|hardening|config|omitted|control|(?:minimum|maximum)-[a-z]+(?:-[a-z]+)*)(?![\w-])|(?:\d{1,2}${S})?(?:sha\d*|md5|bcrypt|scrypt|pbkdf2)-(?:password|secret)${S}(?=\S)|(?:CmdArgAV|cmd-arg)=|-|(?:login|pap|chap|mschap|enable)${S}=|\/(?:etc|var|home|root|opt|usr|tmp|srv|run|proc|dev)\/)`;

/**
 * Not inside another word, a path, an address or a name (`passwd-admin`, `/etc/passwd`,
 * `op=changing-password`), nor the value of an attribute (RouterOS `password=password use-peer-dns=yes`)
 * unless the attribute is a TACACS+ command word (`CmdArgAV=password`, `cmd=password`).
 */
const ALONE = String.raw`(?<![\w.@/$%\\-])(?<!(?<!\b(?:CmdAV|CmdArgAV|cmd|cmd-arg))=)`;
const END = String.raw`(?![\w.@/$-])`;
/** The hints of a JSON password member (`"dbPassword": "X"`): each name's end with its quote, not `pass`, which aaa-only's `passwd:` lines hold. */
const JSON_PASSWORD_NAMES = ['password', 'passwd', 'passphrase'].flatMap((w) => ['', 'value', 'string', 'hash', 'text'].map((s) => `${w}${s}"`));

/**
 * `username NAME`: the name is never a keyword, even an account called `passwd`; AireOS's `config
 * mgmtuser|netuser password NAME X` names the account after the keyword (its own form reads X).
 * The naming word stands alone and is no name itself: a 9800 AP profile's `dot1x username
 * dot1x-username password 0 X` and `mgmtuser username username password 0 X` (Oxidized's
 * recording) name the accounts `dot1x-username` and `username`, and X is their password.
 */
const NOT_A_NAME = String.raw`(?<!(?<![\w.@/$%\\-])(?<!\b(?:username|mgmtuser|netuser)${S})(?:username|mgmtuser|netuser|rpc)${S})`;

/** RouterOS's `/ppp secret` is a menu: its log lines name the account after it (`ppp secret bob added by admin`). */
const NOT_A_MENU = String.raw`(?<!\bppp${S})`;

/** kubectl's and oc's `get|describe|delete|edit secret NAME`: a Secret object is named, not given. */
const NOT_AN_OBJECT = String.raw`(?<!\b(?:get|describe|delete|edit|patch|label|annotate)${S})`;

/** swanctl's `loaded ike|eap|xauth|ntlm|ppk secret 'NAME'`: the secret's id, not the secret. */
const NOT_LOADED = String.raw`(?<!\bloaded${S}(?:ike|eap|xauth|ntlm|ppk)${S})`;

/**
 * Code where a literal would stand after a spaced `=`: an empty value (`None`, `null`, `nil`,
 * `undefined`), a call (`os.getenv("AWS_SECRET_ACCESS_KEY")`), a constant of a module or object
 * (`aws_login.AWS_SECRET_KEY`, `process.env.DB_PASSWORD`). Not any dotted word: a JWT is one.
 */
const CODE = String.raw`(?:None|null|nil|undefined)(?![\w.])|[A-Za-z_][\w.]*\((?!\))|[a-z_]\w*(?:\.[a-z_]\w*)*\.[A-Z_][A-Z0-9_]*(?![\w.])`;

/**
 * After a spaced `=`: a PowerShell command or expression is no literal (`$password = ConvertTo-SecureString
 * -String "X" …`: the literal is the command's own argument, read by its form; `$password = Get-Random`,
 * `$pw = (Get-SSMParameter …).Value`). A command is an approved verb, `-`, a capitalised noun; a
 * quoted value is always a literal.
 */
const NOT_AN_EXPRESSION = String.raw`(?!\((?!\))|(?:Get|Set|New|Read|Import|Export|ConvertTo|ConvertFrom|Invoke|Join|Format|Select|Test|Resolve|Find|Out|Protect|Unprotect|Decrypt|Encrypt)-[A-Z][A-Za-z]+(?![\w-])|${CODE})`;

/** The prefixes of self-describing tokens (GitHub, GitLab, Slack). */
const TOKEN_PREFIXES = ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_', 'glpat-', 'xoxb-', 'xoxp-', 'xoxa-', 'xoxr-', 'xoxs-'];

export const genericSecrets: SecretGrammar = [
  // Appliances without a platform module (AireOS, ExtremeXOS, Citrix ADC): their forms are exact.
  ...applianceForms,
  // SQL: `IDENTIFIED BY 'X'` (MySQL, Oracle; `IDENTIFIED BY VALUES 'hash'`), `PASSWORD 'X'` and
  // `WITH PASSWORD = 'X'` (PostgreSQL roles, SQL Server logins), `SET PASSWORD [FOR u] = 'X'`;
  // statements in shell history, database audit logs and `log_statement` lines. `IDENTIFIED WITH
  // auth_socket` names a plugin; `password_encryption = 'scram-sha-256'` a setting.
  form('identified', rx('i')`\bIDENTIFIED${S}BY${S}(?:(?:VALUES|PASSWORD)${S})?(?:'(?<vs>(?:[^'\n]|'')*)'|"(?<vq>[^"\n]*)"|(?<v>[^\s;'"\\]+))`),
  needing(form('password', rx()`(?<![\w.-])PASSWORD${S}(?:=${S})?[NE]?'(?<vs>(?:[^'\n\\]|''|\\.)*)'`), ['PASSWORD']),
  needing(form('password', rx('i')`\bSET${S}PASSWORD(?:${S}FOR${S}[^\s=]+)?${S}=${S}(?:PASSWORD\()?${VALUE()}`), ['set']),
  // JavaScript and YAML-ish objects: MongoDB's `db.createUser({user: 'a', pwd: 'X'})`, `password: "X"`.
  // The key may name whose secret it is (`admin_password: "X"`, compose's `LDAP_ADMIN_PASSWORD: "X"`) and be
  // quoted as Python prints a dict (`{u'password': u'X'}`, Ansible's failed items).
  // The key word is matched first, then the `: "` after it, and only then its name read back, whole
  // (`a_…_password`, read forward from every word start, was quadratic and cost 5% of the gate on
  // ordinary traffic; a name read back at most four parts of 32 characters kept the value of a longer
  // one, 100 KB of `a` before `_password: "X"`). Only a key word followed by `:` reads back, so a name
  // holding the word many times is read back once.
  needing(form(['pwd', 'pass', 'secret'], rx('i')`${after(String.raw`(?:pwd|password|passwd|passphrase|secret)(?='?${SEP}*:${SEP}*[ub]?['"])`, String.raw`(?<![\w$.'"-])(?:[ub]?')?(?:[a-z0-9]+[_.-])*`)}'?${SEP}*:${SEP}*[ub]?(?:'(?<vs>[^'\n]*)'|"(?<vq>(?:[^"\\\n]|\\.)*)")`), ['"', "'"]),
  // A YAML key of its own line, the value bare to the line's end (`    admin_password: X`); not a
  // placeholder, variable, template, anchor or flow value (`password: <password>`, `{{ pw }}`, `*ref`, `[a]`).
  // Only in a file's text, never its first line: a line of its own is a log's message or field, where
  // `passwd: password unchanged` and Junos's `UI_CFG_AUDIT_SET_SECRET: User …` are a program and a tag.
  // So a line break is needed too: the look-behind first was tried at every position of aaa-only's
  // `passwd:` lines (~0.4 µs each).
  needing(form(['pwd:', 'password:', 'passwd:', 'passphrase:', 'secret:'], rx('mi')`(?<=\n)[^\S\n]*(?:-[^\S\n]+)?(?:[a-z0-9]+[_.-])*?(?:pwd|password|passwd|passphrase|secret):[^\S\n]+(?!["'<$&*!|>{\[~#%@\x60]|(?:null|true|false|yes|no)[^\S\n]*$)(?<v>[^\s#](?:[^\n]*[^\s])?)[^\S\n]*$`), ['\n']),
  // `password: X` inside a line: a free-text field a person typed (a description, a comment, a
  // useradd -c, a ticket note a device logs). The form above reads a key only where it starts a line
  // of a file. Not `passwd:` or `secret:`, a program's or a tag's name (`passwd: password unchanged`);
  // not a word of prose after it (NOT_A_VALUE), a mask or a placeholder, nor a URL (its own form
  // reads the secret inside it).
  form(['password:', 'passphrase:'], rx('i')`(?<![\w.-])(?:password|passphrase):[^\S\n]+${NOT_A_VALUE}(?![*<$&{\[]|[a-z][\w+.-]*:\/\/)${VALUE()}`),
  // pdftk's `user_pw X owner_pw Y` (and other `…_pw` keywords).
  form('_pw', rx()`(?<![\w-])[a-z]+_pw(?:=|${S})${VALUE()}`),
  // `config set KEY VALUE` where KEY names a secret (yarn `npmAuthToken`, pulumi `--secret dbPassword`,
  // poetry `pypi-token.pypi`, pip and npm keys).
  // Hinted by the secret words it needs, not by `config`: the gate runs only on lines kept, AAA records
  // that say `configure` or `configuration` twice as often as a secret word (bench:ingest aaa-only).
  // `config` is needed too, checked on those lines only (the expression cost ~0.1 µs on each).
  needing(form(['token', 'password', 'passwd', 'secret', '_auth', 'apikey', 'api-key', 'api_key'], rx()`\bconfig${S}set${S}(?:--?[A-Za-z][\w-]*${S})*(?!-)[\w.:/@-]*(?:[Tt]oken|[Pp]assword|[Pp]asswd|[Ss]ecret|_auth|[Aa]pi[-_]?[Kk]ey)${S}(?!-)${VALUE()}`), ['config'], ['set']),
  // Redis: `AUTH [user] X` as MONITOR and the slow log quote it, `CONFIG SET requirepass X`, redis.conf's `requirepass X`, `masterauth X`.
  // Hinted by the quoted word it needs: `auth` alone is in most AAA lines (`Authen-Method`, `chauthtok`).
  form('"auth"', rx('i')`"AUTH"${S}(?:"[^"\n]*"${S})?"(?<vq>(?:[^"\\\n]|\\.)*)"`),
  form(['requirepass', 'masterauth'], rx()`\b(?:requirepass|masterauth)["']?${S}${VALUE()}`),
  // SQL Server: `sp_password NULL|'OLD', 'NEW', 'login'`, `sp_addlogin 'login', 'X'`.
  form(['sp_password', 'sp_addlogin'], rx('i')`\bsp_(?:password|addlogin)${S}(?:NULL|N?'(?<vs>(?:[^'\n]|'')*)'|@\w+)${SEP}*,${SEP}*N?'(?<vs2>(?:[^'\n]|'')*)'`),
  // CloudFormation parameters in the AWS CLI's shorthand: `ParameterKey=DBPassword,ParameterValue=X`.
  form('parameterkey', rx('i')`\bParameterKey=[\w]*(?:password|passwd|secret|token|apikey)[\w]*,ParameterValue=${VALUE()}`),
  // expect(1): the answer sent to a password prompt (`expect "assword:"; send "X\r"`).
  form('send', rx('i')`assword:?\*?["'}]?${SEP}*(?:;|\n)?${SEP}*send${S}(?:--${S})?"(?<v>[^"\\\n]+)(?=(?:\\[rn])?")`),
  // A literal given to Ansible's `password_hash` filter (`{{ 'X' | password_hash('sha512') }}`).
  form('password_hash', rx()`(?:'(?<vs>[^'\n]*)'|"(?<vq>[^"\n]*)")${SEP}*\|${SEP}*password_hash\b`),
  // strongSwan's ipsec.secrets: `A B : PSK "X"`, `user : XAUTH "X"`, `: EAP "X"`.
  form(['psk\\b', 'xauth\\b', 'eap\\b', 'ntlm\\b', 'pin\\b'], rx()`(?<![^\s+]):${S}(?:PSK|XAUTH|EAP|NTLM|PIN)${S}${VALUE()}`),
  // Files whose lines are secrets only by where they stand: `.pgpass` (`host:port:db:user:X`) written
  // with `echo … >> ~/.pgpass`, pam_radius_auth.conf's `server[:port] secret [timeout]`.
  form('.pgpass', rx()`${after(String.raw`\.pgpass\b`, String.raw`(?<=[^\s"':]+:(?:\d+|\*):[^\s"':]+:[^\s"':]+:)(?<v>[^\s"':]+)["']?${S}>>?${S}[\w./~$-]*`)}`),
  form('pam_radius', rx()`\bpam_radius(?:_auth)?\.conf\b${ahead(String.raw`\bpam_radius`)}[\s+](?:\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-fA-F:]+\]|[a-z][\w.-]*\.[a-z]+)(?::\d+)?${S}(?<v>[^\s#]+)`),
  // `username bob password 0 x`, `enable secret 9 $9$…`, ` password 7 …`, `set password x`,
  // `password irreversible-cipher …` (VRP), `password ciphertext …` (Aruba). Not `passwd`: on a
  // host, `passwd bob` names an account (ASA's `passwd … encrypted` is in its grammar).
  // Lower case only: network CLIs write their keywords so, prose capitalises (`Password Not Required`).
  // SonicOS: `cli ftp password default 1,X`, `passphrase password 1,X`. A `password` after the keyword
  // is the keyword's own (`passphrase password X`), not its value: read as the value, X leaked, and
  // a second pass over `passphrase password <redacted>` hid the word `password`.
  // After an explicit type 0 (a clear value) the next word is the value whatever it is: a passphrase
  // may start with a prose word (`secret 0 the quick fox`), which NOT_A_VALUE refused, so the `0`
  // was read as the value and the passphrase kept.
  form('pass', rx()`${after('password|passphrase', NOT_A_NAME + ALONE)}${END}${S}(?:level${S}\d+${S}|role${S}${WORD}${S}|default${S}(?=\d,)|password${S}(?=\S))?(?:0${S}(?=\S)|${TYPE}${NOT_A_VALUE})${VALUE()}`),
  form('secret', rx()`${after('secret', NOT_A_NAME + NOT_A_MENU + NOT_AN_OBJECT + NOT_LOADED + ALONE)}${END}${S}(?:level${S}\d+${S})?(?:0${S}(?=\S)|${TYPE}${NOT_A_VALUE})${VALUE()}`),
  // Keywords whose next token (after an optional type) is always a secret.
  // MACsec key chains write theirs as `key-octet-string [7] X cryptographic-algorithm …`.
  form(['key-string', 'key-octet-string'], rx()`${ALONE}key-(?:octet-)?string${S}(?:password${S})?${TYPE}${VALUE()}`),
  // Junos MACsec `pre-shared-key cak X` (the key; `ckn X` is its name, exchanged in clear); IOS MKA's
  // `mka pre-shared-key key-chain NAME` names a key chain.
  form('pre-shared-key', rx()`${ALONE}pre-shared-key${S}(?:(?:local|remote)${S})?(?:ascii-text${S}|hexadecimal${S}|key${S}|cak${S})?${TYPE}(?!(?:address|hostname|local|remote|ascii-text|hexadecimal|key-chain|keychain|ckn|cak)\b)${VALUE()}`),
  // NTP/OSPF keys: `authentication-key 2 cmac X` (ASA), `… cmac-aes-128 X` (IOS), Junos's `authentication-key 1 value X`;
  // Junos's `authentication-key 1 type md5` sets only the type.
  form(['authentication-key', 'message-digest-key'], rx()`${ALONE}(?:authentication-key|message-digest-key)${S}(?!\d+${S}type${S}\w+\b(?!${S}value\b))(?:\d+${S})?(?:type${S}\w+${S}value${S}|value${S})?(?:(?:md5|sha\w*|cmac(?:-aes[\w-]*)?|aes-\d+-cmac|hmac-[\w-]+)${S})?${TYPE}(?!type\b)${VALUE()}`),
  form(['server-key', 'auth-key', 'shared-key', 'set-key', 'private-key', 'virtual-controller-key'], rx()`${ALONE}(?:server-key|auth-key|shared-key|set-key|preshared-key|private-key|virtual-controller-key)${S}${TYPE}${NOT_A_VALUE}${VALUE()}`),
  // VyOS's set forms, also here for VyOS lines whose sender is not known as VyOS: `set pki certificate X private key 'K'`, `set service snmp community C`,
  // `set service snmp trap-target ADDR community 'C'`.
  form('pki', rx()`\bset${S}pki${S}${ahead(String.raw`\bpki\b`)}private${S}key${S}${VALUE()}`),
  form('community', rx()`\bset${S}service${S}snmp${S}(?:${ahead(String.raw`\bsnmp\b`)}${SEP})?community${S}${VALUE()}`),
  // Not an item of a list (RouterOS `authentication-types=wpa-psk,wpa2-psk comment=…`: the next attribute is no value).
  form('psk', rx()`${ALONE}(?<!,)(?:wpa-psk|wpa2-psk)${S}${TYPE}(?![\w-]+=)${VALUE()}`),
  form(['encrypted-password', 'text-password-value', 'simple-password', 'auth-pass', 'priv-pass', 'privacy-password', 'authentication-password', 'encryption-password', 'password-encrypt', 'bind-password', 'login-password', 'wpa-passphrase'], rx()`${ALONE}(?:encrypted-password|plain-text-password-value|plaintext-password-value|simple-password|auth-password|priv-password|privacy-password|authentication-password|encryption-password|password-encrypt|bind-password|ldap-login-password|wpa-passphrase|auth-pass|priv-pass)${S}${TYPE}${VALUE()}`),
  // IS-IS: IOS `area-password X`, `domain-password X`; IOS-XR `lsp-password hmac-md5 encrypted X`,
  // `hello-password text clear X` (a `keychain NAME` names no secret).
  form('-password', rx()`${ALONE}(?:area|domain|lsp|hello|snp)-password${S}(?:(?:hmac-md5|hmac-sha\w*|text|md5)${S})?${TYPE}(?!(?:keychain|key-chain|authenticate)\b)${VALUE()}`),
  // A keyword of words joined by `-` that ends in a secret word: Junos `client NAME chap-secret X`,
  // `pap local-password X`, ExtremeXOS `shared-secret X`, Ruckus `enable super-user-password X`,
  // Gaia `auth-pass-phrase X` / `privacy-pass-phrase X`, VyOS `pre-shared-secret X`. A `-` before
  // it makes it a command-line option (the option form below).
  form(['-secret', '-password', '-passwd', '-passphrase', '-pass-phrase'], rx()`${ALONE}(?!(?:area|domain|lsp|hello|snp)-password|(?:set|get|change|reset|update|show|delete|remove|no|form)-)[a-z][a-z0-9]*(?:-[a-z0-9]+)*?-(?:secret|password|passwd|passphrase|pass-phrase)${END}${S}(?:(?:hmac-[\w-]+|md5|text)${S})?${TYPE}(?!(?:keychain|key-chain)\b)${NOT_A_VALUE}${VALUE()}`),
  // ArubaOS-Switch (ProCurve): `password manager|operator [user-name NAME|"NAME"] plaintext|sha1 X`.
  needing(form('pass', rx()`${ALONE}password${S}(?:manager|operator)(?:${S}user-name${S}(?:"[^"\n]*"|${WORD}))?${S}(?:plaintext|sha1|sha-256)${S}${VALUE()}`), ['manager', 'operator']),
  // VRRP/HSRP/OSPF plain-text authentication: `vrrp 5 peer authentication text X`, NX-OS `authentication text X`.
  form('authentication', rx()`${ALONE}authentication${S}text${S}${VALUE()}`),
  // Configuration files' assignments (FreeRADIUS `secret = X`, `password = X`, tac_plus `key = "X"`):
  // spaced `=`, so auditd's `key=rule` is not one.
  needing(form(['pass', 'secret', 'key', 'psk'], rx()`(?<![\w.-])(?:password|passwd|secret|key|psk|passphrase)${S}=${S}${NOT_AN_EXPRESSION}${VALUE()}`), ['=']),
  // With a prefix (`bind_password = X`, `client_secret = X`, sssd's `ldap_default_authtok = X`); a
  // key's only when it names a secret one (`api_key`, not `sort_key`).
  // The keyword first and the prefix checked where it matched: a prefix read forward from every
  // word's start cost 20 µs on a line holding the hint.
  needing(form(['pass', 'secret', 'authtok'], rx('i')`${after('password|passwd|secret|passphrase|authtok', String.raw`(?<=\w[_-])`)}${S}=${S}${NOT_AN_EXPRESSION}${VALUE()}`), ['=']),
  // The name may go on before the key word (`aws_secret_access_key = 'X'` in HCL, Python and INI): its
  // parts are read back only where an `=` follows, so a long name is read back once.
  form('key', rx('i')`${after(String.raw`(?:api|secret|private|shared|preshared|access|client|auth)[_-]?key(?=${S}=)`, String.raw`(?<![\w.-])(?:[a-z0-9]+_)*`)}${S}=${S}${NOT_AN_EXPRESSION}${VALUE()}`),
  // Command-line options: `--password X`, `--password=X` (docker's `Using --password via the CLI is insecure`: prose).
  // (mysql's `--password` takes its value joined only: `--password orders` asks, and names the database;
  // this form, not the any-case one below, reads these names, as a tool's name is matched in its case.)
  form('--pass', rx()`(?<![\w-])--(?:[Pp]assword|[Pp]asswd|[Pp]ass|PASSWORD|PASSWD|PASS)(?:=|${NOT_A_JOINED_ONLY_TOOL}${S}(?!via\b))${VALUE()}`),
  // Any option named for a secret, single or double dash, in any case (Java's `-D…keyStorePassword=`,
  // Citrix ADC `-ldapBindDnPassword X` and `-radKey X`, PowerShell `-SharedSecret "X"`, InfluxDB
  // `-password X`, curl `--oauth2-bearer X`, kubectl `--token=X`, `--docker-password=X`). Not an option
  // that asks for one or says how to treat it (`--ask-password`, `-CannotChangePassword $true`,
  // `--no-password`), nor one naming a file or descriptor (its name goes on: `--password-file`), nor a
  // variable (PowerShell's `-Password $pw`: the literal is elsewhere, if on the line at all).
  needing(form(['pass', 'pwd', 'secret', 'token', 'bearer', 'key'], rx('i')`(?<![\w-])(?!--(?:password|passwd|pass)(?![\w-]))--?(?!secret(?![\w-]))(?:[a-z0-9][\w.-]*?)?(?<!(?:ask|no|prompt|change|reset|cannot|use|skip|empty|random|generate|expire|show|store|save|with|without|require|required|force|allow|check|stdin|mustch|canch)[-_.]?)(?:password|passwd|pwd|passphrase|pass-phrase|secret|secret-string|secret-binary|token|bearer|(?:rad|api|auth|shared|secret|psk)[-_]?key|keyvalue)(?![\w-])(?:=|${S})(?!-|\$?(?:true|false)\b)${NOT_A_VARIABLE}${VALUE()}`), ['-']),
  // A camelCase or dotted property named for a password (`-Djavax.net.ssl.trustStorePassword=X`,
  // `masterUserPassword=X`; racadm `set iDRAC.Users.3.Password X`).
  needing(form(['password', 'passwd', 'passphrase'], rx()`${after('(?:Password|Passwd|Passphrase)', String.raw`(?<=[a-z0-9]|\w\.)`)}(?:=|(?<=\w\.(?:Password|Passwd|Passphrase))${S})(?!-)${VALUE()}`), ['Password', 'Passwd', 'Passphrase']),
  // npm's registry credentials: `npm config set //registry.npmjs.org/:_authToken X`, `:_password=X` in `.npmrc`.
  form(['_authtoken', '_password', ':_auth'], rx()`:_(?:authToken|password|auth)(?:=|${S})${VALUE()}`),
  // Credentials given as `DOMAIN/USER:PASSWORD@HOST` (impacket's tools, `psexec.py corp/admin:X@10.0.0.5`).
  // Read from the `:` back (`after`): begun at every word start, the expression was 3 µs on a Junos
  // RT_FLOW line (its `junos@2636…` holds the hint), 0.4 µs so; the same values over the corpora.
  needing(form('@', rx()`${after(':', String.raw`(?<![\w:/.-])[\w.-]+\/[\w.$-]+`)}(?<v>[^\s@/:]+)@(?!sha\d+:)(?=[\w.-]+(?:\s|$|:))`), ['/']),
  // SNMP communities given to a `snmp … community` verb (Gaia `add snmp community X read-only`,
  // ExtremeXOS `configure snmpv3 add community X name X`, `configure snmp add community readonly [encrypted] X`, F5 `community-name X`).
  form('community', rx()`\bsnmp(?:v3)?${S}(?:add${S})?community${S}(?:(?:create|delete|add)${S})?(?:(?:readonly|readwrite)${S}(?:encrypted${S})?)?(?!(?:accessmode|mode|ipaddr|ipv6addr|name|read-only|read-write|view|create|delete|enable|disable)\b|[\w-]+=)${NOT_A_VALUE}${VALUE()}(?:${S}name${S}${VALUE('2')})?`),
  form('community-name', rx()`\bcommunity-name${S}${VALUE()}`),
  // A community as a device's show output labels it, at a line's start: `Community name: X` (IOS, EOS
  // `show snmp community`), `SNMP read community: X` (OneOS), `Get Community       : X` (Zyxel). Not
  // `Community access: read-only`, `Community view: V`, `Community Index: cisco0` (other labels).
  // Not a BGP route's `Community: 65000:100 no-export` (AS:NN values and well-known names).
  form('community', rx('mi')`^[^\S\n]*(?:snmp${S})?(?:(?:read|write|get|set|trap|read-only|read-write)${S})?community(?:${S}(?:name|string))?${SEP}*:${SEP}*(?!\d{1,10}:\d{1,10}(?![^\s\x00-\x1f\x7f])|(?:no-export|no-advertise|no-export-subconfed|local-as|internet|none)(?![\w-]))${VALUE()}`),
  // Ciena SAOS `snmp create community-index NAME community X`; ADVA `add community "X" readwrite`,
  // `communityname X read-only`; Nokia SR OS `community X [hash|hash2] r|rw|rwa [version …]` (in its `snmp` block).
  form('community-index', rx()`\bcommunity-index${S}${WORD}${S}community${S}${VALUE()}`),
  form('community', rx()`\badd${S}community${S}${VALUE()}(?=${S}(?:readwrite|readonly|read-write|read-only|trap-only)\b)`),
  form('communityname', rx()`\bcommunityname${S}${VALUE()}`),
  form('community', rx('m')`^[^\S\n]*community${S}${VALUE()}(?=(?:${S}hash2?)?${S}(?:r|rw|rwa|mgmt|vpls-mgmt)(?:${S}version\b|[^\S\n]*$))`),
  // `rf-switch snmp-community X` (IOS cable), `snmp-server read-community "X"` / `write-community` (Lenovo ENOS, Extreme VOSS).
  form('community', rx()`${ALONE}(?:snmp|read|write)-community${S}${TYPE}${VALUE()}`),
  // ArubaOS `mgmt-user NAME ROLE PASSWORD` (the password typed, or its hash in the configuration).
  form('mgmt-user', rx()`${ALONE}mgmt-user${S}(?!(?:ssh-pubkey|localauth-disable|webui-cacert)\b)${WORD}${S}(?!password\b|ssh-pubkey\b)${WORD}${S}(?!(?:read-only|guest-mgmt)\b)${VALUE()}`),
  // A key with a type digit: `key 7 0822…`, `key 0 x` — not a key chain's `key 1` (no value after), nor Junos
  // key chains' `key 0 secret X` (the `secret` form reads X), `key 0 algorithm …`, `key 0 start-time …`.
  // Nor NTP's `ntp server|peer A … key 2 minpoll 5 …` (the key's id, then the next option).
  form('key', rx()`${ALONE}key${S}\d${S}(?!(?:key-string|key-chain|keychain|accept-lifetime|send-lifetime|cryptographic-algorithm|algorithm|secret|start-time|options|minpoll|maxpoll|prefer|iburst|burst|version|source|use-vrf|vrf)\b)${VALUE()}`),
  // SNMPv3 users: `… auth sha x priv aes 128 y`, NX-OS `… auth md5 x priv aes-128 y localizedV2key`.
  form('snmp', rx()`${ALONE}auth${S}(?:md5|sha\w*)${S}(?!auth-pass\b)${TYPE}${VALUE()}(?:${S}priv${S}(?:(?:des\w*|3des|aes(?:-?\d+)?)${S}(?:\d{3}${S})?)?${TYPE}${VALUE('2')})?`),
  // Its priv value read on its own: after a JSON-quoted auth value (`auth sha \"A\" priv aes 128 \"B\"`)
  // the engine, not the pattern, finds where `\"A\"` ends, so the pattern above stops there.
  form('snmp', rx()`${ALONE}auth${S}(?:md5|sha\w*)\b${ahead(String.raw`\bauth\b`)}${SEP}priv${S}(?:(?:des\w*|3des|aes(?:-?\d+)?)${S}(?:\d{3}${S})?)?${TYPE}${VALUE()}`),
  // Hashes and encodings that cannot be anything but a secret: crypt(3) and Cisco hashes, Huawei
  // `$1a$…$`, FortiOS `ENC …`, PAN-OS `-AQ==…`, Huawei `%^%#…%^%#` and `%@%@…%@%@`. A crypt hash holds no
  // backslash: in JSON text (`encrypted-password $6$…\n    partition`) one ends at the escape.
  form('$', rx()`(?<v>\$(?:1[a-z]?|2[aby]?|5|6|7|8|9|y|sha512|sha256|pbkdf2-sha\d+)\$[^\s"';<>\\]+)`),
  // Huawei's irreversible cipher (`$1a$…$` to `$1d$`) holds any printable character, quotes, `<`,
  // `;` and `$` too: it runs to its last `$` before a space or the line's end (within 250 characters:
  // the ciphers are under 100, and an unbounded run read back from each `$1a$` of a long token).
  needing(form('$', rx()`(?<v>\$1[a-d]\$\S{0,250}\$)(?=\s|$)`), ['$1a$', '$1b$', '$1c$', '$1d$']),
  needing(form(['pass', 'key', 'secret', 'psk', 'pwd'], rx()`\bENC${S}(?<v>[A-Za-z0-9+/=]{8,})`), ['ENC']),
  form('-aq==', rx()`(?<v>-AQ==[A-Za-z0-9+/=]+)`),
  form('%^%#', rx()`(?<v>%\^%#(?:(?!%\^%#)[^\n])+%\^%#)`),
  form('%@%@', rx()`(?<v>%@%@(?:(?!%@%@)[^\n])+%@%@)`),
  // A password a product prints once when it makes one: the MySQL and MariaDB images' `[Entrypoint]:
  // GENERATED ROOT PASSWORD: X`, mysqld's `A temporary password is generated for root@localhost: X`.
  form('generated', rx('i')`\bGENERATED${S}ROOT${S}PASSWORD:${S}${VALUE()}`),
  form('temporary', rx()`\btemporary${S}password${S}is${S}generated${S}for${S}[^\s:]+:${S}${VALUE()}`),
  // A Basic credential made in the command itself: `-H "Authorization: Basic $(echo -n 'u:X' | base64)"`.
  form('authorization:', rx('i')`\b(?:proxy-)?authorization:${S}basic${S}\$\((?:echo|printf)${S}(?:-[ne]+${S})?['"]?[^\s:'"]*:(?<v>[^\s'"]+)`),
  // HTTP credentials in a logged request or command: `Authorization: Basic dXNlcjpwdw==`, `Bearer eyJ…`.
  form('authorization:', rx('i')`\b(?:proxy-)?authorization:${S}(?:basic|bearer)${S}(?<v>[A-Za-z0-9+/=._~-]+)`),
  // … and as a PowerShell or Python header table writes it: `@{Authorization = "Bearer X"}`, `{'X-API-Key' = 'X'}`.
  form('authorization', rx('i')`\b(?:proxy-)?authorization\\?['"]?(?:${S})?=(?:${S})?\\?['"](?:basic|bearer|token)${S}(?<v>[A-Za-z0-9+/=._~-]+)`),
  form(['api-key', 'auth-token', 'private-token', 'apikey', 'access-token'], rx('i')`['"](?:x-api-key|api-key|x-apikey|x-auth-token|private-token|x-access-token)['"](?:${S})?(?:=|:)(?:${S})?${VALUE()}`),
  // An API key or token in a URL's query (PAN-OS `/api/?type=op&cmd=…&key=LUFRPT…`); only after
  // `?` or `&`, so auditd's ` key="rule"` stays.
  // Also OAuth's `client_secret`, Vault's `secret_id`, a signed URL's signature (Azure SAS `sig=`,
  // S3 `X-Amz-Signature=`, `X-Amz-Security-Token=`), `pwd=`/`pass=`.
  form(['?key=', '&key=', 'api_key=', 'apikey=', 'token=', 'secret=', 'secret_id=', 'sig=', 'signature=', 'pwd=', 'pass='], rx('i')`(?<=[?&])(?:key|api_key|apikey|access_token|refresh_token|id_token|auth_token|session_token|token|client_secret|secret|secret_id|sig|signature|x-amz-signature|x-amz-security-token|pwd|pass)=(?<v>[^&\s"'#<>]+)`),
  // Credentials in a URL: `tftp://backup:x@192.0.2.9/r1.cfg`, Redis's `redis://:x@cache:6379` (no user).
  // GitHub's `https://TOKEN:x-oauth-basic@…` says the token is the user: `x-oauth-basic` is a fixed word.
  form('://', rx('i')`${after(String.raw`:\/\/`, String.raw`(?<=\b[a-z][a-z0-9+.-]*)`)}[^\s:\/"'<>]*:(?!x-oauth-basic@)(?<v>[^@\s"'\/<>]+)@`),
  // Tokens whose format says what they are (GitHub `ghp_…`, `github_pat_…`, GitLab `glpat-…`, Slack `xoxb-…`),
  // wherever they stand; as a URL's userinfo (`https://ghp_…@github.com/…`, `https://glpat-…:x-oauth-basic@…`)
  // a token of any length is the credential.
  form(TOKEN_PREFIXES, rx()`(?<![A-Za-z0-9_-])(?<v>(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,}|glpat-[A-Za-z0-9_-]{20,}|(?:xoxb|xoxp|xoxa|xoxr|xoxs)-[A-Za-z0-9-]{10,})(?![A-Za-z0-9_-])`),
  form(TOKEN_PREFIXES, rx()`:\/\/(?<v>(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]+|github_pat_[A-Za-z0-9_]+|glpat-[A-Za-z0-9_-]+|(?:xoxb|xoxp|xoxa|xoxr|xoxs)-[A-Za-z0-9-]+)(?=(?::[^@\s\/]*)?@)`),
  // key=value forms (tac_plus, RouterOS, command lines): `password=x`, `passwd="x"`, `PASSWORD=x`,
  // FortiManager's `password=ENC x`.
  // A prefix joined by `-` or `_` (`ipsec-secret=`, `client_secret=`, `POSTGRES_PASSWORD=`); Vault's `secret_id=`.
  form(['password=', 'passwd=', 'passphrase='], rx('i')`${ALONE}(?:[\w-]*[-_])?(?:password|passwd|passphrase)=(?:ENC${S})?${NOT_A_VARIABLE}${VALUE()}`),
  form(['secret=', 'secret-id=', 'secret_id='], rx('i')`${ALONE}(?:[\w-]*[-_])?secret(?:[-_]id)?=(?:ENC${S})?${NOT_A_VARIABLE}${VALUE()}`),
  form(['psk', 'pre-shared-key'], rx('i')`${ALONE}(?:[\w-]*[-_])?(?:psk|psksecret|pre-shared-key)=(?:ENC${S})?${NOT_A_VARIABLE}${VALUE()}`),
  // A variable or setting whose name ends in `_pass` (Ansible's `ansible_become_pass=X`, `ansible_ssh_pass`
  // given with `-e`; `db_pass=X`): the word after a `_` or `-` ends the name.
  form(['_pass=', '-pass='], rx('i')`${ALONE}[\w-]*[-_]pass=${NOT_A_VARIABLE}${VALUE()}`),
  // airOS's system.cfg: `radio.1.key=s:X` (a WEP key, `s:` text or `h:` hex): the key after a dotted
  // index path, so auditd's ` key=rule` stays.
  form('.key=', rx()`(?<=\b[a-z]+\.\d+\.)key=${VALUE()}`),
  // Connection strings (`;`-separated): Azure Storage's `AccountKey=X;`, Service Bus's
  // `SharedAccessKey=X;` (`Password=X;` is the form above). The value ends at `;`.
  form(['accountkey=', 'sharedaccesskey='], rx('i')`(?<![\w.-])(?:AccountKey|SharedAccessKey)=(?<vc>[^;\s"'\\]+)`),
  // Environment variables (`PGPASSWORD=X psql`, `export AWS_SECRET_ACCESS_KEY=X`, `GITHUB_TOKEN=X`,
  // `MYSQL_PWD=X`, `SSHPASS=X sshpass -e`, `REDISCLI_AUTH=X`): upper case, as the shell convention writes them; `PWD`
  // and `OLDPWD` (directories) have no `_` before the word.
  needing(form(['password', 'passwd', 'passphrase', 'sshpass', 'secret', '_key', '_token', '_pwd', '_pass', '_authtok', '_auth=', '_apikey'], rx()`(?:PASSWORD|PASSWD|PASSPHRASE|SECRET|KEY|APIKEY|TOKEN|PWD|PASS|AUTHTOK|AUTH)=(?<=(?<![\w.-])(?:[A-Z][A-Z0-9]*(?:PASSWORD|PASSWD|PASSPHRASE)|SSHPASS|(?:[A-Z][A-Z0-9]*_)+(?:SECRET|SECRET_ACCESS_KEY|SECRET_KEY|API_KEY|APIKEY|PRIVATE_KEY|ACCESS_TOKEN|AUTH_TOKEN|TOKEN|PWD|PASS|AUTHTOK|AUTH))=)${NOT_A_VARIABLE}${VALUE()}`), ['=']),
  // JSON values of secret-named keys (CloudTrail `requestParameters`, Entra, RESTCONF): the
  // string's inside, so the record stays valid JSON. `passwordLastSet` names no secret.
  form(JSON_PASSWORD_NAMES, rx('i')`"[\w.-]*(?:password|passwd|passphrase)(?:value|string|hash|text)?"\s*:\s*"(?<v>(?:[^"\\]|\\.)*)"`),
  // Pre-shared keys (Meraki's `"psk"`, `"preSharedKey"`, `"wpa_psk"`).
  form(['psk"', 'sharedkey"', 'shared_key"', 'shared-key"'], rx('i')`"(?:[\w.-]*[_.-])?(?:psk|pre-?shared-?key|pre_shared_key)"\s*:\s*"(?<v>(?:[^"\\]|\\.)*)"`),
  // A key that is only `pass` or `pwd` (`"credentials":{"pass":"X"}`).
  form(['"pass"', '"pwd"'], rx('i')`"(?:pass|pwd)"\s*:\s*"(?<v>(?:[^"\\]|\\.)*)"`),
  needing(form('secret', rx('i')`"[\w.-]*secret(?:value|string|key|accesskey|text)?"\s*:\s*"(?<v>(?:[^"\\]|\\.)*)"`), ['"']),
  // Tokens and API keys (`"sessionToken"` in CloudTrail's AssumeRole answer, OAuth's `"access_token"`,
  // `"apiKey"`): the key ends in the word, after a separator or a known kind, so `"ElevatedToken"`
  // (Windows 4624, a yes/no) and `"token_type"` are no secret.
  form('token"', rx('i')`"(?:[\w.-]*[_.-])?(?:access|refresh|session|id|auth|bearer|api|oauth|security|private|csrf)?[_-]?token"\s*:\s*"(?<v>(?:[^"\\]|\\.)*)"`),
  form('key"', rx('i')`"(?:[\w.-]*[_.-])?(?:x-)?api[_-]?key"\s*:\s*"(?<v>(?:[^"\\]|\\.)*)"`),
  // An HTTP header in JSON (`"Authorization":"Bearer X"`), and API-key headers as a line writes them.
  form('authorization"', rx('i')`"(?:proxy-)?authorization"\s*:\s*"(?:[A-Za-z-]{1,20}\s+)?(?<v>(?:[^"\\\s]|\\.)+)"`),
  form(['api-key', 'auth-token', 'vault-token', 'private-token', 'apikey', 'access-token'], rx('i')`(?<![\w-])(?:x-api-key|api-key|x-apikey|x-auth-token|x-vault-token|private-token|x-access-token)(?::${S}|"\s*:\s*")(?<v>[^\s"\\,;]+)`),
  form('key"', rx('i')`"[\w.-]*private_?key"\s*:\s*"(?<v>(?:[^"\\]|\\.)*)"`),
  // A key file's content under its file name (a Kubernetes Secret's `"tls.key"`, `"server.key"`).
  form('.key"', rx('i')`"[\w-]+\.key"\s*:\s*"(?<v>(?:[^"\\]|\\.)*)"`),
  form('pwd"', rx()`"(?:[\w.-]+:)?[a-z]*pwd"\s*:\s*"(?<v>(?:[^"\\]|\\.)*)"`),
  // The same inside a JSON string (a SIEM's `full_log`, `event.original` holding a JSON body):
  // `\"password\":\"X\"`, the value's end found by the engine's scan (`ve`).
  needing(form('pass', rx('i')`\\"[\w.-]*(?:password|passwd|passphrase)(?:value|string|hash|text)?\\"\s*:\s*\\"(?<ve>)`), ['\\"']),
  needing(form('secret', rx('i')`\\"[\w.-]*secret(?:value|string|key|accesskey|text)?\\"\s*:\s*\\"(?<ve>)`), ['\\"']),
  form('token\\"', rx('i')`\\"(?:[\w.-]*[_.-])?(?:access|refresh|session|id|auth|bearer|api|oauth|security|private|csrf)?[_-]?token\\"\s*:\s*\\"(?<ve>)`),
  form('key\\"', rx('i')`\\"[\w.-]*private_?key\\"\s*:\s*\\"(?<ve>)`),
  needing(form('pwd', rx()`\\"(?:[\w.-]+:)?[a-z]*pwd\\"\s*:\s*\\"(?<ve>)`), ['\\"']),
  needing(form(['pass', 'secret'], rx('i')`"Name"\s*:\s*"[^"]*(?:password|secret)[^"]*"\s*,\s*"Value"\s*:\s*"(?!(?:true|false)")(?<v>(?:[^"\\]|\\.)*)"`), ['"value"']),
  // … and one whose name ends in a token, key or credential word (CodeBuild's `{"name":"GITHUB_TOKEN",
  // "value":"X","type":"PLAINTEXT"}`, Kubernetes `env`, App Service settings); `TOKEN_TYPE`, `KMS_KEY_ARN` end otherwise.
  needing(form(['token', 'key', 'pwd', 'pass', 'credential'], rx('i')`"Name"\s*:\s*"[^"]*(?:token|api_?key|private_?key|secret_?key|pwd|_pass|credentials?)"\s*,\s*"Value"\s*:\s*"(?!(?:true|false)")(?<v>(?:[^"\\]|\\.)*)"`), ['"value"']),
  // XML text of a secret-named element (NX-OS RESTCONF `<pwd>`, PAN-OS `<phash>`): up to the next
  // tag, or to the end of a payload cut short.
  // Names end in the keyword: `<prefetchkey>` (a DNS option) and `<keyEnc>` are no secret. pfSense
  // and OPNsense keep a certificate's private key in `<prv>` (base64 PEM).
  // Oxidized's placeholders (`<secret removed>`, `<secret hidden>`) are no element: read as one, the
  // quote after a redacted value was taken for the element's text (`… hash <secret removed>'`).
  form(['pwd', 'pass', 'secret', 'psk', 'crypt', 'sha512', 'key', 'prv', 'phash'], rx('i')`<(?!secret (?:removed|hidden)>)(?:[\w.-]+:)?(?:prv|[\w.-]*?(?:pwd|password|passwd|secret|passphrase|psk|phash|(?:bcrypt|sha512|password)[-_]?hash)|(?:[\w.-]*?(?:private|shared|secret|auth|api|pre-shared|psk)[-_]?)?key)(?:-string)?(?:\s[^<>]*)?>(?<v>[^<\s](?:[^<]*[^<\s])?)`),
  // NX-OS DME attributes (`<aaaUser name="bob" pwd="x"/>`): quoted and lower case, so a shell `PWD=/home/x` stays.
  form('pwd=', rx()`\b[a-z]*pwd="(?<v>[^"]+)"`),
  form('pwd=', rx()`\b[a-z]*pwd='(?<v>[^']+)'`),
  // LDAP: nslcd/pam_ldap `bindpw X`, slapd.conf `rootpw X`, LDIF `userPassword: X` (`::` base64),
  // `olcRootPW: X`, AD's `unicodePwd:: X`; and a hash in RFC 2307 scheme form (`{SSHA}…`) wherever it stands.
  form(['bindpw', 'rootpw'], rx('m')`^[^\S\n]*(?:bindpw|rootpw)${S}${VALUE()}`),
  form(['userpassword:', 'rootpw:', 'unicodepwd:'], rx('i')`(?<![\w-])(?:userPassword|olcRootPW|unicodePwd)::?${S}${VALUE()}`),
  form(['{ssha', '{sha', '{smd5', '{md5', '{crypt', '{pbkdf2', '{argon2', '{bcrypt', '{cleartext', '{plain'], rx('i')`\{(?:SSHA(?:256|384|512)?|SHA(?:256|384|512)?|SMD5|MD5|CRYPT|PBKDF2(?:-SHA\d+)?|ARGON2|BCRYPT|CLEARTEXT|PLAIN)\}(?<v>[^\s"'<>;,]+)`),
  // SSH public keys: the key material becomes its fingerprint, so a swapped key still shows.
  form('ssh-', rx()`\b(?:ssh-rsa|ssh-dss|ssh-ed25519|sk-ssh-ed25519@openssh\.com)${S}"?(?<v>[A-Za-z0-9+/]{16,}={0,2})`, redactPublicKey),
  form('sha2-nistp', rx()`\b(?:ecdsa-sha2-nistp\d+)${S}"?(?<v>[A-Za-z0-9+/]{16,}={0,2})`, redactPublicKey),
  // A private key pasted into one message: the key material, the armour and the spaces around it kept.
  form('private key', rx()`-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----\s{0,8}(?<v>[^\s-][\s\S]*?)(?=\s{0,8}-----END|$)`),
];
