// What a user-management command line changes: Falco reports the process (`proc.cmdline`) and
// Teleport's enhanced session recording the program it ran (`session.command`), not the outcome,
// so the command's own arguments say which account it acts on. Read with the
// options each tool documents (shadow-utils man pages, Debian adduser(8), BusyBox adduser).
// Commands that only read (`passwd -S`, `chage -l`, `useradd -D`) change nothing.

import type { ActorChange as Change } from './record.js';

interface Parsed {
  program: string;
  /** Option name → value ('' for flags), long and short forms as given. */
  options: Map<string, string>;
  positional: string[];
}

const MAX_ARGS = 64;

/** Shell-like words: whitespace-separated, with '…' and "…" quoting. */
function argv(cmdline: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(cmdline)) !== null && out.length < MAX_ARGS) out.push(m[1] ?? m[2] ?? m[3]!);
  return out;
}

function parse(cmdline: string, withValue: ReadonlySet<string>): Parsed | undefined {
  const a = argv(cmdline);
  if (a.length === 0) return undefined;
  const program = a[0]!.slice(a[0]!.lastIndexOf('/') + 1);
  const options = new Map<string, string>();
  const positional: string[] = [];
  for (let i = 1; i < a.length; i++) {
    const w = a[i]!;
    if (w.startsWith('--') && w.length > 2) {
      const eq = w.indexOf('=');
      if (eq > 0) options.set(w.slice(0, eq), w.slice(eq + 1));
      else options.set(w, withValue.has(w) ? (a[++i] ?? '') : '');
    } else if (w.startsWith('-') && w.length > 1) {
      // Bundled short flags (`-aG wheel`, `-mG wheel`): the last one may take a value.
      for (let k = 1; k < w.length; k++) {
        const o = '-' + w[k];
        if (withValue.has(o)) {
          options.set(o, k + 1 < w.length ? w.slice(k + 1) : (a[++i] ?? ''));
          break;
        }
        options.set(o, '');
      }
    } else {
      positional.push(w);
    }
  }
  return { program, options, positional };
}

const has = (p: Parsed, ...names: string[]): boolean => names.some((n) => p.options.has(n));
const get = (p: Parsed, ...names: string[]): string | undefined => {
  for (const n of names) if (p.options.has(n)) return p.options.get(n);
  return undefined;
};
const list = (v: string | undefined): string[] =>
  v === undefined ? [] : v.split(',').map((s) => s.trim()).filter((s) => s.length > 0).slice(0, 64);
const last = (p: Parsed): string | undefined => p.positional[p.positional.length - 1];

const memberships = (user: string, groups: string[]): Change[] =>
  groups.map((group) => ({ action: 'group.add_member', target: user, group, technique: 'T1098.007' }));

const USERADD_VALUES = new Set([
  '-b', '-c', '-d', '-e', '-f', '-g', '-G', '-k', '-K', '-p', '-s', '-u', '-R', '-P', '-Z',
  '--base-dir', '--comment', '--home-dir', '--home', '--expiredate', '--inactive', '--gid', '--groups', '--skel',
  '--key', '--password', '--shell', '--uid', '--root', '--prefix', '--selinux-user',
]);
const USERMOD_VALUES = new Set([
  '-c', '-d', '-e', '-f', '-g', '-G', '-l', '-p', '-P', '-R', '-s', '-u', '-v', '-V', '-w', '-W', '-Z',
  '--comment', '--home', '--expiredate', '--inactive', '--gid', '--groups', '--login', '--password', '--prefix',
  '--root', '--shell', '--uid', '--add-subuids', '--del-subuids', '--add-subgids', '--del-subgids', '--selinux-user',
]);
// Debian adduser(8) and BusyBox adduser.
const ADDUSER_VALUES = new Set([
  '-h', '-g', '-s', '-G', '-u', '-k', '--home', '--shell', '--uid', '--gid', '--ingroup', '--gecos', '--comment',
  '--conf', '--firstuid', '--lastuid', '--firstgid', '--lastgid', '--add_extra_groups',
]);
const GPASSWD_VALUES = new Set(['-a', '-d', '-M', '-A', '-Q', '--add', '--delete', '--members', '--administrators', '--root']);
// groupadd(8) (shadow-utils; `-U/--users` since 4.13) and groupdel(8).
const GROUPADD_VALUES = new Set(['-g', '-K', '-p', '-R', '-P', '-U', '--gid', '--key', '--password', '--root', '--prefix', '--users']);
const PASSWD_VALUES = new Set(['-n', '-x', '-w', '-i', '-r', '-R', '-P', '--mindays', '--maxdays', '--warndays', '--inactive', '--repository', '--root', '--prefix']);
const CHAGE_VALUES = new Set(['-d', '-E', '-I', '-m', '-M', '-R', '-P', '-W', '--lastday', '--expiredate', '--inactive', '--mindays', '--maxdays', '--root', '--prefix', '--warndays']);
const NONE_VALUES = new Set(['-R', '-P', '--root', '--prefix']);

function useradd(p: Parsed): Change[] {
  const user = last(p);
  if (has(p, '-D', '--defaults') || user === undefined) return [];
  return [
    { action: 'account.create', target: user, technique: 'T1136.001' },
    ...memberships(user, list(get(p, '-G', '--groups'))),
  ];
}

function adduser(p: Parsed): Change[] {
  const [user, group] = p.positional;
  if (user === undefined) return [];
  // `adduser bob sudo` adds an existing user to a group.
  if (group !== undefined) return memberships(user, [group]);
  return [
    { action: 'account.create', target: user, technique: 'T1136.001' },
    ...memberships(user, list(get(p, '-G', '--ingroup'))),
  ];
}

// usermod options reported by their own records below; any other option modifies the account.
const USERMOD_ACCOUNTED = new Set(['-G', '--groups', '-a', '--append', '-p', '--password', '-R', '--root', '-P', '--prefix']);

function usermod(p: Parsed): Change[] {
  const user = last(p);
  if (user === undefined) return [];
  const out: Change[] = memberships(user, list(get(p, '-G', '--groups')));
  // `usermod -o -u 0 bob` gives bob root's uid: a privilege change, not an ordinary edit.
  const rootUid = get(p, '-u', '--uid') === '0';
  if (rootUid) out.push({ action: 'privilege.change', target: user, privilege: 'uid=0', technique: 'T1098' });
  if (has(p, '-p', '--password')) out.push({ action: 'password.change', target: user });
  const other = [...p.options.keys()].some(
    (o) => !USERMOD_ACCOUNTED.has(o) && !(rootUid && (o === '-u' || o === '--uid' || o === '-o' || o === '--non-unique')),
  );
  if (other || out.length === 0) out.push({ action: 'account.modify', target: user });
  return out;
}

function userdel(p: Parsed, deluser: boolean): Change[] {
  const [user, group] = p.positional;
  if (user === undefined) return [];
  if (deluser && group !== undefined) return [{ action: 'group.remove_member', target: user, group }];
  return [{ action: 'account.delete', target: user, technique: 'T1531' }];
}

const groupCreated = (group: string): Change => ({ action: 'group.create', target: group, group });
const groupDeleted = (group: string): Change => ({ action: 'group.delete', target: group, group });

/** `groupadd [-g gid] [-U alice,bob] grp`: the group made, and its first members. */
function groupadd(p: Parsed): Change[] {
  const group = last(p);
  if (group === undefined) return [];
  return [groupCreated(group), ...list(get(p, '-U', '--users')).flatMap((m) => memberships(m, [group]))];
}

function gpasswd(p: Parsed): Change[] {
  const group = last(p);
  if (group === undefined) return [];
  const add = get(p, '-a', '--add');
  if (add) return memberships(add, [group]);
  const del = get(p, '-d', '--delete');
  if (del) return [{ action: 'group.remove_member', target: del, group }];
  return list(get(p, '-M', '--members')).flatMap((m) => memberships(m, [group]));
}

function passwd(p: Parsed, self: string | undefined): Change[] {
  if (has(p, '-S', '--status', '-a', '--all')) return [];
  const user = last(p) ?? self;
  if (user === undefined) return [];
  if (has(p, '-l', '--lock', '-u', '--unlock', '-e', '--expire', '-n', '-x', '-w', '-i', '--mindays', '--maxdays', '--warndays', '--inactive')) {
    return [{ action: 'account.modify', target: user }];
  }
  return [{ action: 'password.change', target: user }];
}

/**
 * The account changes a command line makes. `self` is the user running it (for `passwd` with no
 * argument). Tools whose targets are not on the command line (chpasswd, newusers read them from
 * standard input) yield nothing.
 */
export function commandChanges(cmdline: string, self?: string): Change[] {
  const head = parse(cmdline, NONE_VALUES);
  if (!head) return [];
  switch (head.program) {
    case 'useradd':
      return useradd(parse(cmdline, USERADD_VALUES)!);
    case 'adduser':
      return adduser(parse(cmdline, ADDUSER_VALUES)!);
    case 'usermod':
      return usermod(parse(cmdline, USERMOD_VALUES)!);
    case 'userdel':
      return userdel(head, false);
    case 'deluser':
      return userdel(head, true);
    case 'groupadd':
      return groupadd(parse(cmdline, GROUPADD_VALUES)!);
    case 'groupdel': {
      const group = last(head);
      return group === undefined ? [] : [groupDeleted(group)];
    }
    case 'addgroup': {
      // Debian and BusyBox: `addgroup bob sudo` adds a member, `addgroup [--gid N] grp` makes a group.
      const [first, second] = parse(cmdline, ADDUSER_VALUES)!.positional;
      if (first === undefined) return [];
      return second !== undefined ? memberships(first, [second]) : [groupCreated(first)];
    }
    case 'delgroup': {
      // `delgroup bob sudo` removes a member, `delgroup grp` removes a group.
      const [first, second] = parse(cmdline, ADDUSER_VALUES)!.positional;
      if (first === undefined) return [];
      return second !== undefined ? [{ action: 'group.remove_member', target: first, group: second }] : [groupDeleted(first)];
    }
    case 'gpasswd':
      return gpasswd(parse(cmdline, GPASSWD_VALUES)!);
    case 'passwd':
      return passwd(parse(cmdline, PASSWD_VALUES)!, self);
    case 'chage': {
      const p = parse(cmdline, CHAGE_VALUES)!;
      const user = last(p);
      return has(p, '-l', '--list') || user === undefined ? [] : [{ action: 'account.modify', target: user }];
    }
    case 'chsh':
    case 'chfn': {
      const user = last(parse(cmdline, new Set(['-s', '--shell', '-f', '-r', '-w', '-h', '-o', '-R', '--root']))!) ?? self;
      return user === undefined ? [] : [{ action: 'account.modify', target: user }];
    }
    case 'vipw':
      return [{ action: 'account.modify', target: head.options.has('-g') || head.options.has('--group') ? '/etc/group' : '/etc/passwd', technique: 'T1098' }];
    case 'vigr':
      return [{ action: 'account.modify', target: '/etc/group', technique: 'T1098' }];
    default:
      return [];
  }
}
