// Junos login classes of the device's own that grant what `super-user` does. Junos defines the
// built-in super-user class as `permissions all` (Junos OS "Login Classes Overview", predefined
// classes: super-user — all permissions); a class someone defines with `permissions all` (`set
// system login class ops permissions all`, `class ops { permissions all; }`) is that grant under
// another name. A class with some permissions only (`permissions [ configure view ]`) is not. A
// class's `deny-commands`/`deny-configuration` narrow what it runs, but `all` still holds
// `admin-control` and `security` (user management); the roster, not aaawatch, decides whether a
// narrowed class is allowed, so the class with `all` counts as full administration.
// Its holders are recorded with the role `NAME (permissions all)` (PrivilegeScheme.resolvedRole).

const FULL = 'permissions all';

/** `ops` → `ops (permissions all)`: a class that grants full administration, as its holders record it. */
export const fullClass = (name: string): string => `${name} (${FULL})`;

/** The role value Junos' scheme resolves: a class name, then `(permissions all)`. */
export const RESOLVED_CLASS = /^(.+) \((permissions all)\)$/;

/** Permission flags of a `permissions` statement's words: `all`, `[ configure view ]`. */
export function permissionFlags(words: readonly string[]): string[] {
  return words.filter((w) => w !== '[' && w !== ']').map((w) => w.replace(/^\[|\]$|;$/g, '')).filter((w) => w !== '');
}

/** The class a `system login class NAME …` path (after `system`) names, and what follows it. */
export function classPath(path: readonly string[]): { name: string; rest: string[] } | undefined {
  if (path[0] !== 'system' || path[1] !== 'login' || path[2] !== 'class' || !path[3]) return undefined;
  return { name: path[3], rest: path.slice(4) };
}

/** The classes of one configuration (a pull): which grant `permissions all`. */
export class ClassBook {
  private readonly full = new Set<string>();

  /** One statement inside (or set on) class `name`: `permissions all`, `permissions [ … ]`. */
  statement(name: string, words: readonly string[]): void {
    if (words[0] === 'permissions' && permissionFlags(words.slice(1)).includes('all')) this.full.add(name);
  }

  /** The role an account of class `role` holds: resolved when the class grants all. */
  role(role: string): string {
    return this.full.has(role) ? fullClass(role) : role;
  }
}

/**
 * What syslog has shown of one recogniser's devices' classes and who holds them, so a user's class
 * is recorded resolved whichever came first: `set system login class ops permissions all` before
 * `set system login user bob class ops` resolves bob's record; after it, the class's change is
 * itself a change of bob's privilege, recorded as one. Bounded: cleared when full.
 */
export class SyslogClasses {
  private readonly full = new Set<string>();
  private readonly holders = new Map<string, string>();

  constructor(private readonly max: number) {}

  /** User `user` now holds class `cls` (undefined: none, or the account is gone); returns the role to record. */
  hold(device: string, user: string, cls: string | undefined): string | undefined {
    const key = `${device}\u0000${user}`;
    if (cls === undefined) {
      this.holders.delete(key);
      return undefined;
    }
    if (this.holders.size >= this.max) this.holders.clear();
    this.holders.set(key, cls);
    return this.full.has(`${device}\u0000${cls}`) ? fullClass(cls) : cls;
  }

  /**
   * A `set`/`delete` of `system login class CLS REST…`; returns the holders whose grant it changed,
   * each with the role they now hold (resolved, or the bare class when `all` was taken away).
   */
  define(device: string, cls: string, verb: string, rest: readonly string[]): Array<{ user: string; role: string }> {
    const key = `${device}\u0000${cls}`;
    const was = this.full.has(key);
    const all = rest[0] === 'permissions' && permissionFlags(rest.slice(1)).includes('all');
    if (verb === 'set' && all) {
      if (this.full.size >= this.max) this.full.clear();
      this.full.add(key);
    } else if (verb === 'delete' && (rest.length === 0 || (rest[0] === 'permissions' && (rest.length === 1 || all)))) {
      this.full.delete(key);
    }
    const now = this.full.has(key);
    if (now === was) return [];
    const prefix = `${device}\u0000`;
    const changed: Array<{ user: string; role: string }> = [];
    for (const [k, c] of this.holders) {
      if (c === cls && k.startsWith(prefix)) changed.push({ user: k.slice(prefix.length), role: now ? fullClass(cls) : cls });
    }
    return changed;
  }
}
