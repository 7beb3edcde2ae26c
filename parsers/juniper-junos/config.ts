// Juniper Junos configuration (`show configuration`, braces or `display set` form): the SSH
// session, local accounts and redaction. Junos marks most secrets itself with `## SECRET-DATA`.

import type { LocalAccount, PrivilegeScheme, SessionProfile } from '../../src/types.js';
import { AccountBook, addCredential, addRole, splitLines, unquote } from '../lib/config-text.js';
import { genericSecrets } from '../lib/secrets/generic.js';
import { S, compile, form, redactWith, rx, type Matcher } from '../lib/secrets/grammar.js';
import { ClassBook, RESOLVED_CLASS, classPath } from './classes.js';
import { JUNOS_VALUE, junosSecrets } from './secrets.js';
import { deactivatedIn } from './set-lines.js';

export const ssh: SessionProfile = {
  prompt: /^[\w.@-]+[>#%]\s?$/,
  // Each command on its own exec channel, as Oxidized does: no pager, no prompt to find.
  exec: true,
  setup: [],
  configCommands: ['show configuration | display omit'],
  errors: [/^error: /m, /^syntax error/m, /^unknown command/m],
  volatile: [/^## Last (?:commit|changed): .*$/gm],
};

// Read a line at a time, where the gate cannot see the braces that make the text Junos: a `;`
// after a value is always the statement's.
const JUNOS: Matcher = compile([junosSecrets, genericSecrets], { semicolonEnds: true });
// `community NAME {` is an SNMP community only inside `snmp { … }` (a policy's `community X` is a name).
const SNMP: Matcher = compile([[form('community', rx()`^\s*community${S}${JUNOS_VALUE}`)]]);

/** The statement a brace-form line opens or sets: `user oxidized {` → `user oxidized`. */
function statement(line: string): string {
  return line.replace(/\s*##.*$/, '').replace(/[{;]\s*$/, '').trim().replace(/^(?:inactive|protect): /, '');
}

/** Redact one line; `path` is the enclosing blocks (brace form). */
function redactLine(line: string, path: readonly string[]): string {
  const out = redactWith(JUNOS, line);
  // Directly inside `snmp { … }` (which may itself sit in `groups NAME { … }`).
  return path[path.length - 1] === 'snmp' ? redactWith(SNMP, out) : out;
}

export function redact(configText: string): string {
  const path: string[] = [];
  return splitLines(configText)
    .map((line) => {
      const out = redactLine(line, path);
      const trimmed = line.replace(/\s*##.*$/, '').trim();
      if (trimmed.endsWith('{')) path.push(statement(trimmed).split(/\s+/)[0]!);
      else if (trimmed === '}') path.pop();
      return out;
    })
    .join('\n');
}

type Account = LocalAccount;

/** Whether a block path is a login user: `system login user NAME` (also inside `groups G`). */
function loginUser(path: readonly string[]): string | undefined {
  const at = path[0] === 'groups' ? 2 : 0;
  if (path[at] !== 'system' || path[at + 1] !== 'login') return undefined;
  const user = /^user\s+(\S+)$/.exec(path[at + 2] ?? '');
  return user ? unquote(user[1]!) : undefined;
}

function isRootAuthentication(path: readonly string[]): boolean {
  const at = path[0] === 'groups' ? 2 : 0;
  return path[at] === 'system' && path[at + 1] === 'root-authentication';
}

/** `set [groups G] system login user NAME …` / `set system root-authentication …`: the account and the rest. */
function setFormAccount(words: readonly string[]): { name: string; rest: string } | undefined {
  const at = words[0] === 'groups' ? 2 : 0;
  if (words[at] !== 'system') return undefined;
  if (words[at + 1] === 'root-authentication') return { name: 'root', rest: words.slice(at + 2).join(' ') };
  if (words[at + 1] === 'login' && words[at + 2] === 'user' && words[at + 3]) {
    return { name: unquote(words[at + 3]!), rest: words.slice(at + 4).join(' ') };
  }
  return undefined;
}

/** The login class a brace-form block path is inside: `system login class NAME` (also inside `groups G`). */
function loginClass(path: readonly string[]): string | undefined {
  const at = path[0] === 'groups' ? 2 : 0;
  if (path[at] !== 'system' || path[at + 1] !== 'login' || path.length !== at + 3) return undefined;
  const cls = /^class\s+(\S+)$/.exec(path[at + 2]!);
  return cls ? unquote(cls[1]!) : undefined;
}

/** What one statement inside a user (or root-authentication) block says about the account. */
function apply(account: Account, words: string): void {
  const cls = /^class\s+(\S+)/.exec(words);
  if (cls) addRole(account, unquote(cls[1]!));
  if (/^(?:authentication\s+)?(?:encrypted-password|plain-text-password)\b/.test(words)) addCredential(account, 'password');
  if (/^(?:authentication\s+)?ssh-(?:rsa|dsa|ecdsa|ed25519)\b/.test(words)) addCredential(account, 'key');
}

/**
 * `system login user NAME { class C; authentication { encrypted-password …; ssh-rsa …; } }` and
 * `system root-authentication { … }` (the `root` account), in brace or `set` form. `syslog {
 * user * … }` and login classes are not accounts. A user without an authentication statement
 * has no local credential (`none`). A user of a class the configuration defines with
 * `permissions all` (or `admin-control`), before or after the user, holds `CLASS (permissions all)`
 * (or `CLASS (permissions admin-control)`, classes.ts).
 */
export function accounts(configText: string): LocalAccount[] {
  const book = new AccountBook((line) => redactLine(line, []));
  const classes = new ClassBook();
  const path: string[] = [];
  const lines = splitLines(configText);
  const deactivated = deactivatedIn(lines);
  let current: Account | undefined;
  // The depth of the outermost `inactive:` block the path is in, or 0: what it holds does not apply.
  let inactiveDepth = 0;
  for (const line of lines) {
    const trimmed = line.replace(/\s*##.*$/, '').trim();
    const set = /^set\s+(.*)$/.exec(trimmed);
    if (set) {
      const words = set[1]!.split(/\s+/);
      if (deactivated(words)) continue;
      const found = setFormAccount(words);
      if (found) apply(book.add(found.name, line), found.rest);
      const cls = classPath(words[0] === 'groups' ? words.slice(2) : words);
      if (cls) classes.statement(unquote(cls.name), cls.rest);
      continue;
    }
    const inactive = inactiveDepth > 0 || trimmed.startsWith('inactive: ');
    const inClass = loginClass(path);
    if (inClass !== undefined && !trimmed.endsWith('{') && !inactive) classes.statement(inClass, statement(trimmed).split(/\s+/));
    if (trimmed.endsWith('{')) {
      path.push(statement(trimmed));
      if (inactive && inactiveDepth === 0) inactiveDepth = path.length;
      const name = isRootAuthentication(path) && path.length === (path[0] === 'groups' ? 4 : 2) ? 'root' : loginUser(path);
      // An inactive user (or a block above it) is not on the device: Junos applies none of it.
      if (name !== undefined && !inactive && (current === undefined || current.name !== name)) {
        current = book.add(name, line);
        continue;
      }
    } else if (trimmed === '}') {
      path.pop();
      if (inactiveDepth > path.length) inactiveDepth = 0;
      if (current && !loginUser(path) && !isRootAuthentication(path)) current = undefined;
    }
    if (!current) continue;
    // An inactive statement inside an active user (`inactive: authentication { … }`) is kept with
    // its lines, as written, and gives the account nothing.
    current.lines.push(redactLine(line, path).trimEnd());
    if (inactive) continue;
    const inAuthentication = path[path.length - 1] === 'authentication';
    apply(current, (inAuthentication ? 'authentication ' : '') + statement(trimmed));
  }
  return book.all().map((a) => {
    const roles = a.roles.map((r) => classes.role(r));
    return { ...a, roles, credentials: a.credentials.length ? a.credentials : ['none'] };
  });
}

/**
 * The classes a configuration defines that resolve (`ops` → `ops (permissions all)`), held or not:
 * a user syslog later puts in one is recorded resolved although syslog never showed the class
 * (src/ingest/resolve.ts). Read from the stored, redacted text: class statements hold no secret.
 */
export function resolvedRoles(configText: string): Map<string, string> {
  const classes = new ClassBook();
  const path: string[] = [];
  for (const line of splitLines(configText)) {
    const trimmed = line.replace(/\s*##.*$/, '').trim();
    const set = /^set\s+(.*)$/.exec(trimmed);
    if (set) {
      const words = set[1]!.split(/\s+/);
      const cls = classPath(words[0] === 'groups' ? words.slice(2) : words);
      if (cls) classes.statement(unquote(cls.name), cls.rest);
      continue;
    }
    const inClass = loginClass(path);
    if (inClass !== undefined && !trimmed.endsWith('{')) classes.statement(inClass, statement(trimmed).split(/\s+/));
    if (trimmed.endsWith('{')) path.push(statement(trimmed));
    else if (trimmed === '}') path.pop();
  }
  return classes.resolved();
}

/**
 * Built-in login classes: super-user > operator > read-only > unauthorized; any other class is
 * custom, but one the device defines with `permissions all` or `admin-control` is recorded `NAME
 * (permissions all)` / `NAME (permissions admin-control)` and ranks as super-user does (classes.ts).
 */
export const privileges: PrivilegeScheme = {
  roleRanks: { 'super-user': 15, operator: 5, 'read-only': 1, unauthorized: 0, 'permissions all': 15, 'permissions admin-control': 15 },
  roleWord: 'class',
  resolvedRole: RESOLVED_CLASS,
  oneRole: true,
};
