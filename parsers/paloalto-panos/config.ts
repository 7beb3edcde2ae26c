// Palo Alto PAN-OS configuration (`show config running`, XML; `set` lines also read): the SSH
// session, administrator accounts and redaction.

import type { LocalAccount, PrivilegeScheme, SessionProfile } from '../../src/types.js';
import {
  AccountBook,
  REDACTED,
  addCredential,
  addRole,
  redactPrivateKeyBlocks,
  splitLines,
} from '../lib/config-text.js';
import { genericSecrets } from '../lib/secrets/generic.js';
import { S, VALUE, compile, form, redactWith, rx, type Matcher } from '../lib/secrets/grammar.js';
import { SECRET_TAGS, panosSecrets } from './secrets.js';

export const ssh: SessionProfile = {
  // `admin@PA-3220>`, `admin@PA-3220(active)>`, configuration mode `#`.
  prompt: /^[\w.@-]+@[\w.-]+(?:\([\w-]+\))?[>#] ?$/,
  setup: ['set cli pager off'],
  configCommands: ['show config running'],
  errors: [/^Invalid syntax\./m, /^Unknown command: /m, /^Server error/m],
  volatile: [],
  complete: /<\/config>/,
};

const SECRET_ELEMENTS: ReadonlySet<string> = new Set(SECRET_TAGS);
const PANOS: Matcher = compile([panosSecrets, genericSecrets]);
// In a `set` line of PAN-OS's own configuration, any secret element's name is followed by its value
// (`set … pre-shared-key key X`); not in other vendors' text, where `set … key` means other things, nor
// in a BGP policy's `… action allow update community none` (an action on communities).
const SET_LINE: Matcher = compile([[form('set', rx()`^\s*set\s[^\n]*?\s(?<!\bupdate\s)(?:${SECRET_TAGS.join('|')})${S}${VALUE()}`)]]);

/** `<phash>…</phash>` (one line) or a `set … phash VALUE` line, values replaced. */
function redactLine(line: string): string {
  // A brace-form line's closing `;` is syntax (`password X;`), not the value's.
  const end = /;[^\S\n]*$/.exec(line);
  if (end !== null) return redactLine(line.slice(0, end.index)) + end[0];
  return redactWith(SET_LINE, redactWith(PANOS, line));
}

export function redact(configText: string): string {
  const out: string[] = [];
  // A secret element whose text spans lines (a PEM key): its inner lines go.
  let inSecret: string | undefined;
  for (const line of redactPrivateKeyBlocks(splitLines(configText))) {
    if (inSecret) {
      if (line.includes(`</${inSecret}>`)) {
        out.push(line.slice(line.indexOf(`</${inSecret}>`)));
        inSecret = undefined;
      }
      continue;
    }
    const open = /<([\w-]+)>([^<]*)$/.exec(line);
    if (open && SECRET_ELEMENTS.has(open[1]!)) {
      out.push(line.slice(0, open.index) + `<${open[1]}>${REDACTED}`);
      inSecret = open[1]!;
      continue;
    }
    out.push(redactLine(line));
  }
  return out.join('\n');
}

/** Open elements of an XML line: `<a>`, `<entry name="x">` push; `</a>` pops; `<a/>` and `<a>t</a>` do neither. */
function track(stack: Array<{ tag: string; name?: string }>, line: string): void {
  for (const m of line.matchAll(/<(\/?)([\w-]+)((?:\s+[\w:-]+="[^"]*")*)\s*(\/?)>/g)) {
    const [, close, tag, attrs, selfClose] = m;
    if (selfClose) continue;
    if (close) {
      if (stack[stack.length - 1]?.tag === tag) stack.pop();
      continue;
    }
    if (line.includes(`</${tag}>`, m.index + m[0].length)) continue;
    const name = /\sname="([^"]*)"/.exec(attrs ?? '');
    stack.push(name ? { tag: tag!, name: name[1]! } : { tag: tag! });
  }
}

/** What a path below `users/entry[NAME]` (or set-form words after `users NAME`) says. */
function applyPath(account: LocalAccount, path: readonly string[], value: string | undefined): void {
  if (path[0] === 'phash' || path[0] === 'password') addCredential(account, 'password');
  if (path[0] === 'public-key') addCredential(account, 'key');
  if (path[0] === 'permissions' && path[1] === 'role-based' && path[2]) {
    if (path[2] === 'custom') {
      if (path[3] === 'profile' && value) addRole(account, value);
    } else {
      addRole(account, path[2]);
    }
  }
}

/**
 * Whether the elements above a `mgt-config` are the device's own configuration: its `config` (or
 * none), not a `config` inside it. Panorama's templates and template stacks each hold a `config`
 * with a `mgt-config` of the administrators it pushes to firewalls (`devices/entry/template/entry
 * [@name]/config/mgt-config/users`): those are the firewalls' accounts, not Panorama's.
 */
function ownConfig(above: ReadonlyArray<{ tag: string }>): boolean {
  const configs = above.filter((e) => e.tag === 'config').length;
  return configs === 0 || (configs === 1 && above[above.length - 1]!.tag === 'config');
}

/**
 * Administrators: `mgt-config/users/entry[@name]` with `phash` (password), `public-key` and
 * `permissions/role-based/{superuser|superreader|deviceadmin|devicereader|vsysadmin|custom/profile}`
 * of the device's own configuration (not a Panorama template's, `ownConfig`); also their `set
 * mgt-config users NAME …` form. `shared/local-user-database` users are not administrators.
 */
export function accounts(configText: string): LocalAccount[] {
  const book = new AccountBook(redactLine);
  const stack: Array<{ tag: string; name?: string }> = [];
  let current: { account: LocalAccount; depth: number } | undefined;
  for (const line of splitLines(configText)) {
    const set = /^\s*set\s+mgt-config\s+users\s+(\S+)\s*(.*)$/.exec(line);
    if (set) {
      const words = set[2]!.split(/\s+/).filter(Boolean);
      applyPath(book.add(set[1]!.replace(/^"|"$/g, ''), line), words, words[words.length - 1]);
      continue;
    }
    const before = stack.length;
    track(stack, line);
    if (!current) {
      const top = stack[stack.length - 1];
      const parent = stack[stack.length - 2];
      const grand = stack[stack.length - 3];
      if (stack.length > before && top?.tag === 'entry' && top.name && parent?.tag === 'users' && grand?.tag === 'mgt-config' && ownConfig(stack.slice(0, -3))) {
        current = { account: book.add(top.name, line), depth: stack.length };
      }
      continue;
    }
    current.account.lines.push(redactLine(line).trimEnd());
    if (stack.length < current.depth) {
      if (current.account.credentials.length === 0) addCredential(current.account, 'none');
      current = undefined;
      continue;
    }
    // The path below the entry, including an element opened and closed on this line (`<phash>x</phash>`).
    const inline = /<([\w-]+)>([^<]*)<\/\1>/.exec(line);
    const path = stack.slice(current.depth).map((e) => e.tag);
    if (inline) path.push(inline[1]!);
    applyPath(current.account, path, inline?.[2]);
  }
  return book.all();
}

/** Dynamic roles: superuser > deviceadmin > vsysadmin > superreader > devicereader > vsysreader; an admin-role profile is custom. */
export const privileges: PrivilegeScheme = {
  roleRanks: { superuser: 15, deviceadmin: 12, vsysadmin: 10, superreader: 5, devicereader: 3, vsysreader: 2 },
};
