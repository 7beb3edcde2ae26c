// NVIDIA Cumulus Linux: the NVUE configuration (`nv config show --color off`, YAML) where NVUE is
// in use, else the Linux users (`cat /etc/passwd`); accounts and the secret grammar of both.
// Sources: the Oxidized recordings `cumulus#MSN2010_5.9.2_nvue` and `cumulus#VX_5.4.0_frr`,
// Oxidized's cumulus.rb (docs/notes/platforms.md, "NVIDIA Cumulus Linux").

import type { LocalAccount, PrivilegeScheme, SessionProfile } from '../../src/types.js';
import { AccountBook, addCredential, addRole, redactPrivateKeyBlocks, splitLines } from '../lib/config-text.js';
import { genericSecrets } from '../lib/secrets/generic.js';
import { compile, redactWith, type Matcher } from '../lib/secrets/grammar.js';
import { cumulusSecrets } from './secrets.js';

export const ssh: SessionProfile = {
  // `root@spine1-nyc2:~# `, `cumulus@leaf1:mgmt:~$ ` (the VRF of the session before the path).
  prompt: /^[\w.-]{1,64}@[\w.-]{1,64}(?::[\w-]{1,32})?:[~/][\w/.~-]*[#$] ?$/,
  setup: [],
  // NVUE where it runs; a switch configured without it has its users in /etc/passwd only.
  configCommands: [['nv config show --color off', 'cat /etc/passwd']],
  errors: [/^-?bash: [\w-]+: command not found/m, /^Error: /m, /^cat: .*: (?:No such file or directory|Permission denied)/m],
  volatile: [],
};

/** Cumulus's forms and the generic ones. */
const CUMULUS: Matcher = compile([cumulusSecrets, genericSecrets]);

/**
 * NVUE's `readonly-community:` block holds each community as a key, its direct children
 * (`      public:` / `public: {}`); what stands under a community (`access:`, `any: {}`) is kept.
 */
function redactCommunityKeys(lines: string[]): string[] {
  let under: number | undefined;
  let child: number | undefined;
  return lines.map((line) => {
    const indent = line.length - line.trimStart().length;
    if (under !== undefined && (line.trim() === '' || indent <= under)) under = child = undefined;
    if (/^\s*(?:readonly|readwrite)-community:\s*$/.test(line)) {
      under = indent;
      return line;
    }
    if (under === undefined || indent <= under) return line;
    child ??= indent;
    return indent === child ? line.replace(/^(\s*)[^:\s][^:]*:/, '$1<redacted>:') : line;
  });
}

export function redact(configText: string): string {
  const lines = redactPrivateKeyBlocks(splitLines(configText)).map((l) => redactWith(CUMULUS, l));
  return redactCommunityKeys(lines).join('\n');
}

interface NvueUser {
  role?: string;
  hash?: string;
}

const unquote = (v: string): string => v.trim().replace(/^'(.*)'$|^"(.*)"$/, '$1$2');

/**
 * `system: aaa: user: NAME: {role, hashed-password}` of every `set:` item NVUE prints, read by
 * indentation in one pass (a YAML parser's cost grows faster than linearly on text a device sends,
 * and only these few keys are needed).
 */
function nvueUsers(configText: string): Map<string, NvueUser> | undefined {
  if (!/^(?:.*\x1b\[\?2004l)?- (?:header|set):/m.test(configText)) return undefined;
  const users = new Map<string, NvueUser>();
  const path: Array<{ indent: number; key: string }> = [];
  for (const raw of splitLines(configText)) {
    const line = raw.replace(/^.*\x1b\[\?2004l/, '').replace(/^- /, '  ');
    const m = /^(\s*)([^\s:#][^:]*):(?:\s+(.*))?$/.exec(line);
    if (!m) continue;
    const indent = m[1]!.length;
    while (path.length && path[path.length - 1]!.indent >= indent) path.pop();
    // Only the innermost four keys matter: a deep hostile nesting costs nothing more per line.
    const keys = path.slice(-4).map((p) => p.key);
    const n = keys.length;
    if (n >= 3 && keys[n - 3] === 'system' && keys[n - 2] === 'aaa' && keys[n - 1] === 'user') {
      users.set(unquote(m[2]!), {});
    } else if (n >= 4 && keys[n - 4] === 'system' && keys[n - 3] === 'aaa' && keys[n - 2] === 'user' && m[3] !== undefined) {
      const user = users.get(unquote(keys[n - 1]!));
      if (user && m[2] === 'role') user.role = unquote(m[3]);
      if (user && m[2] === 'hashed-password') user.hash = unquote(m[3]);
    }
    path.push({ indent, key: unquote(m[2]!) });
  }
  return users;
}

/**
 * NVUE users (`system: aaa: user: NAME: {role, hashed-password}`): the role, a hash (`secret`)
 * or `'*'` (locked: `none`). Without NVUE, /etc/passwd's users with a login shell; uid 0 is 15.
 */
export function accounts(configText: string): LocalAccount[] {
  const users = nvueUsers(configText);
  if (users) {
    return [...users].map(([name, u]) => {
      const account: LocalAccount = { name, roles: [], credentials: [], lines: [] };
      if (u.role) addRole(account, u.role);
      addCredential(account, u.hash && u.hash !== '*' && u.hash !== '!' ? 'secret' : 'none');
      account.lines.push(`system aaa user ${name}${u.role ? ` role ${u.role}` : ''}`);
      return account;
    });
  }
  const book = new AccountBook((line) => line);
  for (const line of splitLines(configText)) {
    const m = /^([a-z_][\w.-]{0,31}\$?):[^:]*:(\d+):\d+:[^:]*:[^:]*:(\S+)$/.exec(line);
    if (!m || /\/(?:nologin|false|sync|halt|shutdown)$/.test(m[3]!)) continue;
    const account = book.add(m[1]!, line.replace(/^([^:]+):[^:]*:/, '$1:<redacted>:'));
    if (m[2] === '0') account.privilege = '15';
  }
  return book.all();
}

/** NVUE roles: system-admin (NVUE and sudo), nvue-admin (applies configuration), nvue-monitor (reads). */
export const privileges: PrivilegeScheme = { roleRanks: { 'system-admin': 15, 'nvue-admin': 15, 'nvue-monitor': 1 } };
