// MikroTik RouterOS: `/export` (configuration) and `/user print detail` (accounts: RouterOS never
// exports `/user`). The SSH session, local accounts and redaction.

import type { LocalAccount, PrivilegeScheme, SessionProfile } from '../../src/types.js';
import { AccountBook, addRole, splitLines, unquote } from '../lib/config-text.js';
import { genericSecrets } from '../lib/secrets/generic.js';
import { compile, form, replacements, rx, type Matcher, type Replacement } from '../lib/secrets/grammar.js';
import { routerosSecrets } from './secrets.js';

export const ssh: SessionProfile = {
  // `[admin@MikroTik] >`, `[admin@MikroTik] /ip address>`.
  prompt: /^\[[\w.-]+@[^\]]+\] ?(?:\/[\w /-]*)?> ?$/,
  // Exec channels, as Oxidized does: no pager, no ANSI prompt redraws.
  exec: true,
  setup: [],
  configCommands: [
    // RouterOS 7 hides secrets unless asked; hidden ones vanish without trace, so an account
    // password or a PSK being set at all would not show. They are redacted here instead.
    // RouterOS 6 shows them by default and rejects the word.
    ['/export show-sensitive', '/export'],
    '/user print detail without-paging',
  ],
  errors: [/^(?:bad command name|expected end of command|syntax error|no such item|input does not match)/m, /^failure: /m],
  volatile: [
    // The export's own date line (`# 2024-10-25 12:09:43 by RouterOS 7.15.2`, v6 `# jan/02/2024 …`).
    /^# (?:\d{4}-\d\d-\d\d|\w{3}\/\d\d\/\d{4}) \d\d:\d\d:\d\d by RouterOS .*$/gm,
    // Comments of the moment's state: a PoE port's status is any of its states (`voltage_on_poe-in`
    // came and went on an RB5009, Oxidized's recording and #3863, as `short_circuit` does).
    /^# (?:inactive time|received packet from \S+ bad format|poe-out status: \S+|\S+ not ready)$/gm,
    / last-logged-in=(?:\S+ \d\d:\d\d:\d\d|\S+)/g,
  ],
};

/** RouterOS wraps long export lines with a trailing `\` and an indented continuation. */
function joinContinuations(text: string): string {
  return text.replace(/\\\r?\n\s+/g, '');
}

const ROUTEROS: Matcher = compile([routerosSecrets, genericSecrets]);
// In `/snmp community`, an entry's `name=` is the community string itself.
const COMMUNITY_NAME: Matcher = compile([[form('name=', rx()`(?<![\w-])name=(?:"(?<vq>(?:[^"\\]|\\.)*)"|(?<vw>[^\s"]+))`)]]);

/** The values of one item, read as RouterOS means it (its continued lines joined), where `joined` holds them. */
function valuesOf(joined: string, section: string): Replacement[] {
  const found = [...replacements(ROUTEROS, joined), ...(section === '/snmp community' ? replacements(COMMUNITY_NAME, joined) : [])];
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Replacement[] = [];
  for (const r of found) {
    const last = merged[merged.length - 1];
    if (last && r.start < last.end) merged[merged.length - 1] = { start: last.start, end: Math.max(last.end, r.end), text: last.text };
    else merged.push(r);
  }
  return merged;
}

function redactLine(line: string, section: string): string {
  return replaceIn(line, valuesOf(line, section), (i) => i);
}

/** `text` with each value (found at `at(i)`-mapped places) replaced. */
function replaceIn(text: string, values: readonly Replacement[], at: (i: number) => number): string {
  let out = '';
  let from = 0;
  for (const v of values) {
    const start = at(v.start);
    out += text.slice(from, start) + v.text;
    from = at(v.end - 1) + 1;
  }
  return out + text.slice(from);
}

/**
 * Each item is read with its continued lines joined (a `key=` on a continuation line belongs to
 * the `add` above it), and its values are replaced in the lines as the export wrote them, so the
 * snapshot keeps the device's own wrapping byte for byte.
 */
export function redact(configText: string): string {
  let section = '';
  const out: string[] = [];
  const lines = splitLines(configText);
  for (let i = 0; i < lines.length; i++) {
    let item = lines[i]!;
    while (item.endsWith('\\') && /^\s/.test(lines[i + 1] ?? '')) item += '\n' + lines[++i]!;
    // The item joined as joinContinuations joins it, and where each of its characters stands in the item as written.
    const where: number[] = [];
    let joined = '';
    for (let k = 0; k < item.length; k++) {
      if (item[k] === '\\' && item[k + 1] === '\n') {
        k += 2;
        while (k < item.length && /\s/.test(item[k]!)) k++;
        k--;
        continue;
      }
      where.push(k);
      joined += item[k];
    }
    if (/^\/[\w /-]+$/.test(joined.trim())) section = joined.trim();
    out.push(replaceIn(item, valuesOf(joined, section), (j) => where[j]!));
  }
  return out.join('\n');
}

/** `key=value` and `key="quoted value"` pairs of one item. */
function properties(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of text.matchAll(/([\w-]+)=("(?:[^"\\]|\\.)*"|\S*)/g)) out.set(m[1]!, unquote(m[2]!));
  return out;
}

/**
 * What a custom group of the device's own grants, as its members record it: RouterOS' built-in
 * `full` group is `write`'s policies plus `policy` (and ftp), and "policy - policy that grants user
 * management rights. Should be used together with write policy" (MikroTik RouterOS manual, User,
 * User Groups). A group of one's own allowing both `write` and `policy` (`!policy` denies it)
 * therefore administers the router as `full` does: its members hold `NAME (write,policy)`, ranked
 * as full (PrivilegeScheme.resolvedRole). One with either alone stays a custom group.
 */
const FULL_POLICIES = 'write,policy';
const RESOLVED_GROUP = /^(.+) \((write,policy)\)$/;

function groupGrantsFull(policy: string | undefined): boolean {
  const allowed = new Set((policy ?? '').split(',').map((p) => p.trim()));
  return allowed.has('write') && allowed.has('policy');
}

/** A `/user group` line's group name: `add name=ops …`, or `set [ find name=ops ] …`. */
function groupLineName(t: string, props: Map<string, string>): string | undefined {
  if (/^add\s/.test(t)) return props.get('name');
  return /^set\s+\[\s*find\s+name="?([^"\s\]]+)"?\s*\]/.exec(t)?.[1];
}

/**
 * Accounts from `/user print detail` items (` 0   ;;; comment` / `name="admin" group=full …`,
 * flags such as `X` for disabled after the number) and from `/user add name=… group=…` export
 * lines where a version prints them. `/user group` defines groups, not accounts. RouterOS never
 * shows whether a password is set, so credentials stay unknown (empty).
 */
export function accounts(configText: string): LocalAccount[] {
  const book = new AccountBook((line) => redactLine(line, '/user'));
  const fullGroups = new Set<string>();
  let section = '';
  let item: string[] | undefined;
  const flush = (): void => {
    if (!item) return;
    const props = properties(item.join(' '));
    const name = props.get('name');
    if (name) {
      const account = book.add(name);
      for (const line of item) account.lines.push(redactLine(line, '/user').trimEnd());
      const group = props.get('group');
      if (group) addRole(account, group);
    }
    item = undefined;
  };
  for (const line of splitLines(joinContinuations(configText))) {
    const t = line.trim();
    if (/^\/[\w /-]+$/.test(t)) {
      flush();
      section = t;
      continue;
    }
    if (section === '/user group') {
      const props = properties(t);
      const name = groupLineName(t, props);
      if (name !== undefined && props.has('policy')) {
        if (groupGrantsFull(props.get('policy'))) fullGroups.add(name);
        else fullGroups.delete(name);
      }
      continue;
    }
    if (section === '/user' && /^add\s/.test(t)) {
      const props = properties(t);
      const name = props.get('name');
      if (name) {
        const account = book.add(name, line);
        const group = props.get('group');
        if (group) addRole(account, group);
      }
      continue;
    }
    if (/^\s*\d+\s/.test(line) && !/^\s*\d+\s+[\w-]+:/.test(line)) {
      flush();
      item = [line];
      continue;
    }
    if (item && t) item.push(line);
    else flush();
  }
  flush();
  // The system groups keep their names (a `set` of `full` changes what full is, not what it is called).
  const resolve = (g: string): string => (fullGroups.has(g) && !Object.hasOwn(privileges.roleRanks!, g) ? `${g} (${FULL_POLICIES})` : g);
  return book.all().map((a) => ({ ...a, roles: a.roles.map(resolve) }));
}

/** Built-in groups: full > write > read; a group of the device's own with write and policy ranks as full. */
export const privileges: PrivilegeScheme = {
  roleRanks: { full: 15, write: 10, read: 1, [FULL_POLICIES]: 15 },
  roleWord: 'group',
  resolvedRole: RESOLVED_GROUP,
  oneRole: true,
};
