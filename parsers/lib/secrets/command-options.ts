// Which arguments of which command-line tools are secrets: a table, one row a tool (or a family
// sharing its options), compiled into forms. Command lines reach aaawatch from auditd EXECVE and
// PROCTITLE, sudo's `COMMAND=`, shell history, snoopy, Falco, Windows 4688/Sysmon and PowerShell;
// the forms read every one of those (the separators in grammar.ts take EXECVE's `" aN="` between
// arguments), so a tool is described once. A tool not in the table still has the generic fallback
// (any option named for a secret, `-p` after `-u`); a row also says where that fallback is wrong
// (`joined`: mysql's `-p orders` asks for the password and names the database).

import { S, SEP, VALUE, WORD, WORD_START, ahead, form, needing, rx, userSecret, type SecretForm } from './grammar.js';

export interface ToolArguments {
  /** The tool's names as a command line writes them (`PsExec64.exe`: write each). */
  tools: readonly string[];
  /**
   * A subcommand (a pattern) the options count only after: `docker login -p X` is a password,
   * `docker run -p 8080:80` publishes a port.
   */
  after?: string;
  /** Options whose next argument is the secret (`-p X`, `--password X`; `--password=X` too). */
  separate?: readonly string[];
  /** Options whose next argument is `USER:SECRET` (httpie's `-a bob:X`, skopeo's `--creds bob:X`). */
  userColonSecret?: readonly string[];
  /**
   * Text every line holding the row's secrets contains, when the tool's name is a poor prefilter
   * (grammar.ts `hints`): a fixed word of the row that is rarer (`aws_secret_access_key`), or the
   * name as a word (`asWord`). Never a text a separator could split (`S` also reads tabs, NULs, `#011`).
   */
  hints?: readonly string[];
  /**
   * No option of the tool takes a password as the next argument (PostgreSQL's `-W`/`--password`
   * only force a prompt; `-p` is a port): the generic option forms leave its next words alone.
   */
  asksOnly?: boolean;
  /** Windows tools: options and names in any case (`/P X`, `SCHTASKS.EXE`). */
  caseless?: boolean;
  /**
   * Options whose secret is joined to them (`-pX`, `-p'X Y'`), and only so: a separate argument
   * after one is something else, and the generic `-u U -p X` fallback is not applied to the tool.
   */
  joined?: readonly string[];
  /**
   * Secrets standing by position after a subcommand: `sub` (a pattern: `alias${S}set`), then the
   * secret is the `at`-th argument after it (`mc alias set NAME URL ACCESS SECRET`: 4).
   */
  positional?: ReadonlyArray<{ sub: string; at: number }>;
}

/**
 * A value that is a shell or PowerShell variable, not a literal (`-Password $pw`, `-p $DBPASS`,
 * `${PW}`, `$env:PW`): in history and script blocks the secret is not on the line. A literal that
 * begins with `$` (a crypt hash `$6$…`, `$apr1$…`) goes on past the name, so it is still a value.
 */
export const NOT_A_VARIABLE = String.raw`(?!["']?\$(?:[A-Za-z_]\w*|\{[^}\s]+\}|env:\w+)(?=["']?(?:[\s;,)|&\]}]|$)))`;

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A value joined to its option: quoted (`-p'S0lar Fl4re'`) or bare (`-pX`); not EXECVE's quote closing the option's argument (`a1="-p" a2="X"`). */
/** What may follow a tool's name (and `.exe`): a separator as `S` reads one, a quote (EXECVE's `a0="http"`). */
const TOOL_ENDS = [' ', '"', "'", '#', ...Array.from({ length: 32 }, (_, i) => String.fromCharCode(i))];

/**
 * Hints for tools whose name is in a tenth of all lines (`http` in every URL): the name with each
 * character that may end it, so the row runs only where the name stands as a word. Only for those:
 * each hint is a state of the gate's automaton, read for every character of every line.
 */
const asWord = (names: readonly string[]): string[] => names.flatMap((t) => [`${t}.exe`, ...TOOL_ENDS.map((c) => t + c)]);

const JOINED = String.raw`(?:'(?<vs>[^'\n]*)'|"(?![^\S\n\r]a\d{1,5}=)(?<vq>[^"\n]*)"|(?<vw>[^\s\x00-\x1f"'-][^\s\x00-\x1f"']*))`;

export const TOOL_ARGUMENTS: readonly ToolArguments[] = [
  // Database clients.
  // mysql's `-p X` asks for the password (X names the database); `mysqladmin … password NEW`.
  { tools: ['mysql', 'mysqldump', 'mysqlshow', 'mysqlcheck', 'mysqlimport', 'mysqlpump', 'mysqlslap', 'mariadb', 'mariadb-dump'], joined: ['-p'] },
  { tools: ['mysqladmin', 'mariadb-admin'], joined: ['-p'], positional: [{ sub: 'password', at: 1 }] },
  { tools: ['psql', 'pg_dump', 'pg_dumpall', 'pg_restore', 'pg_basebackup', 'createdb', 'createuser', 'dropdb', 'dropuser', 'vacuumdb', 'reindexdb', 'clusterdb', 'pgbench'], asksOnly: true },
  { tools: ['mongo', 'mongosh', 'mongodump', 'mongorestore', 'mongoexport', 'mongoimport'], separate: ['-p', '--password'], joined: ['-p'] },
  { tools: ['sqlcmd', 'bcp', 'osql', 'isql'], separate: ['-P'] },
  { tools: ['cqlsh'], separate: ['-p'] },
  { tools: ['redis-cli'], separate: ['-a', '--pass'], joined: ['-a'] },
  // Archivers and crypto tools.
  { tools: ['zip', 'unzip'], separate: ['-P'] },
  { tools: ['7z', '7za', '7zr'], joined: ['-p'] },
  // RAR's `-hp` also encrypts headers; unrar(1): `-p<password>` sets it, `-p-` asks for none.
  { tools: ['rar', 'rar.exe', 'winrar', 'winrar.exe'], joined: ['-hp', '-p'] },
  { tools: ['unrar', 'unrar.exe'], joined: ['-p'] },
  { tools: ['gpg', 'gpg2'], separate: ['--passphrase'] },
  { tools: ['openssl'], separate: ['-k'] },
  { tools: ['ssh-keygen'], separate: ['-P', '-N'] },
  { tools: ['slappasswd'], separate: ['-s'] },
  // Samba's `smbpasswd -w X` stores the LDAP admin's password (secrets.tdb); `-wX` as getopt reads it.
  { tools: ['smbpasswd'], separate: ['-w'], joined: ['-w'] },
  // 389 Directory Server's tools bind with `-w X` as the ldap tools do.
  { tools: ['dsconf', 'dsidm'], separate: ['-w'] },
  { tools: ['certutil', 'certutil.exe'], separate: ['-p'] },
  // Remote access, management and brute-force tools.
  { tools: ['hydra', 'medusa', 'nxc', 'netexec', 'crackmapexec', 'evil-winrm', 'smbmap', 'racadm', 'ncrack'], separate: ['-p'] },
  { tools: ['pscp', 'plink', 'psftp', 'pscp.exe', 'plink.exe', 'psftp.exe'], separate: ['-pw'] },
  { tools: ['rdesktop'], separate: ['-p'] },
  { tools: ['x11vnc'], separate: ['-passwd'] },
  // Nagios SNMP checks: check_snmp's `-C COMMUNITY -A AUTHPASS -X PRIVPASS`; interfacetable_v3t's `-x AUTHPASS -X PRIVPASS`.
  { tools: ['check_snmp'], separate: ['-C', '-A', '-X'] },
  { tools: ['check_interface_table_v3t.pl'], separate: ['-C', '-x', '-X'] },
  { tools: ['ipmitool'], separate: ['-P'], positional: [{ sub: String.raw`user${S}set${S}password`, at: 2 }] },
  { tools: ['doctl'], separate: ['-t'] },
  { tools: ['doveadm'], separate: ['-p'] },
  { tools: ['eapol_test', 'radeapclient'], separate: ['-s'] },
  { tools: ['kadmin', 'kadmin.local'], separate: ['-w'] },
  { tools: ['mosquitto_pub', 'mosquitto_sub', 'mosquitto_rr'], separate: ['-P'] },
  { tools: ['twine', 'nuget', 'dotnet'], separate: ['-p'] },
  { tools: ['sshpass'], separate: ['-p'], joined: ['-p'] },
  { tools: ['http', 'https', 'httpie'], hints: [...asWord(['http', 'https']), 'httpie'], userColonSecret: ['-a', '--auth'] },
  // Registry logins: `-p X` only after `login` (`docker run -p 8080:80` publishes a port).
  { tools: ['docker', 'podman', 'nerdctl', 'buildah', 'skopeo', 'oras', 'crane', 'helm', 'finch'], after: String.raw`(?:registry${S})?login`, separate: ['-p', '--password'] },
  { tools: ['skopeo', 'podman', 'buildah'], userColonSecret: ['--creds', '--src-creds', '--dest-creds'] },
  { tools: ['az'], after: 'login', separate: ['-p', '--password'] },
  { tools: ['vault', 'bao'], positional: [{ sub: 'login', at: 1 }] },
  { tools: ['aws'], hints: ['aws_secret_access_key', 'aws_session_token'], positional: [{ sub: String.raw`configure${S}set${S}(?:aws_secret_access_key|aws_session_token)`, at: 1 }] },
  // Windows tools that run against another computer: `/S HOST /U USER /P X` (`/P` alone, or `/P *`, asks).
  { tools: ['schtasks', 'taskkill', 'tasklist', 'systeminfo', 'gpresult', 'eventcreate', 'driverquery', 'getmac', 'openfiles', 'eventtriggers', 'schtasks.exe', 'taskkill.exe', 'tasklist.exe', 'systeminfo.exe', 'gpresult.exe', 'eventcreate.exe', 'driverquery.exe', 'getmac.exe', 'openfiles.exe'], separate: ['/p'], caseless: true },
  // Positional secrets after a subcommand.
  { tools: ['rabbitmqctl'], positional: [{ sub: '(?:add_user|change_password|authenticate_user)', at: 2 }] },
  { tools: ['redis-cli'], positional: [{ sub: '(?:AUTH|auth)', at: 1 }] },
  // MinIO client: `mc alias set NAME URL ACCESS_KEY SECRET_KEY`, formerly `mc config host add …`.
  // `mc admin user add ALIAS USER SECRET`.
  { tools: ['mc', 'mcli'], positional: [{ sub: String.raw`alias${S}set`, at: 4 }, { sub: String.raw`config${S}host${S}add`, at: 4 }, { sub: String.raw`admin${S}user${S}add`, at: 3 }] },
];

/**
 * The tools whose `-p` never takes the next word (joined only, or no password option at all): the
 * generic `-u U -p X` form does not apply to them.
 */
export const JOINED_P_TOOLS: readonly string[] = TOOL_ARGUMENTS.filter((t) => t.asksOnly || t.joined?.includes('-p')).flatMap((t) => t.tools);

/**
 * After an option that asks for a password (`-p`, `--password`), before its separate value: not on
 * a command of those tools (mysql's `--password orders` asks, and names the database). Read back
 * only where the option matched, and at most 256 characters: unbounded, every option on a 100 KB
 * line read back to its start (seconds); past the bound the form hides the next word, more not less.
 */
export const NOT_A_JOINED_ONLY_TOOL = String.raw`(?<!(?<![\w.-])(?:${JOINED_P_TOOLS.map(escape).join('|')})(?:\.exe)?[ "'#\x00-\x1f][^\n|;&]{0,256})`;

/** The forms of one row: each option and position looked for only up to the command's end or the tool's next use. */
function formsOf(row: ToolArguments): SecretForm[] {
  // A tool is a whole word of the command (`/usr/bin/mysql`, `a0="mysql"`, `C:\Tools\7z.exe`), not
  // part of one: `http` in `http://host`, `mc` in `mc-backup`.
  const tool = String.raw`(?<![\w.-])(?:${row.tools.map(escape).join('|')})(?:\.exe)?(?=[ "'#\x00-\x1f])`;
  // Hints that count at a word start only, as the tool is read (`mc` is in `dmc`, `az` in `lazy`).
  const hints = row.hints ?? [...new Set(row.tools.map((t) => WORD_START + t.toLowerCase()))];
  const rest = ahead(tool, '[^\n|;&]');
  const start = row.after ? String.raw`${tool}${S}${row.after}\b${rest}` : String.raw`${tool}${rest}`;
  const flags = row.caseless ? 'i' : '';
  const out: SecretForm[] = [];
  // One form an option: a match reads on past its value, so `-P OLD -N NEW` needs two.
  // A Windows tool's next option (`/P /FO LIST`: asks) or `*` (asks) is no value.
  const notValue = row.caseless ? '(?![-/*])' : '(?!-)';
  // Each option's form runs only on a line holding the option too (`needing`): the tool's name is
  // on many lines that hold none (`http` in every mixed-random line of a web tool's log).
  for (const opt of row.separate ?? []) out.push(needing(form(hints, rx(flags)`${start}${SEP}${escape(opt)}(?:${S}|=)${notValue}${NOT_A_VARIABLE}${VALUE()}`), [opt]));
  for (const opt of row.joined ?? []) out.push(needing(form(hints, rx(flags)`${start}${SEP}${escape(opt)}${NOT_A_VARIABLE}${JOINED}`), [opt]));
  for (const opt of row.userColonSecret ?? []) {
    out.push(needing(form(hints, rx(flags)`${start}${SEP}${escape(opt)}(?:${S}|=)${userSecret(':')}`), [opt]));
  }
  for (const { sub, at } of row.positional ?? []) {
    out.push(form(hints, rx(flags)`${tool}${rest}${SEP}${sub}(?:${S}(?!-)${WORD}){${String(at - 1)}}${S}(?!-)${NOT_A_VARIABLE}${VALUE()}`));
  }
  return out;
}

export const toolArgumentForms: readonly SecretForm[] = TOOL_ARGUMENTS.filter((t) => !t.asksOnly).flatMap(formsOf);
