// Junos login classes of the device's own that grant what `super-user` does. Junos defines the
// built-in super-user class as `permissions all` (Junos OS "Login Classes Overview", predefined
// classes: super-user — all permissions); a class someone defines with `permissions all` (`set
// system login class ops permissions all`, `class ops { permissions all; }`) is that grant under
// another name. A class's `deny-commands`/`deny-configuration` narrow what it runs, but `all` still
// holds `admin-control` and `security` (user management); the roster, not aaawatch, decides whether a
// narrowed class is allowed, so the class with `all` counts as full administration.
// A class with `admin-control` "can view user accounts and configure them (at the [edit system login]
// hierarchy level)" (Junos "Permission Bits for Login Classes"; the same flag is what `class` and
// `user` statements require to be added): its holders can make any account of any class, super-user
// included, so for the question aaawatch answers (who can give full administration) it is
// super-user's equal. A class with other permissions only (`permissions [ configure view ]`) is not.
// Its holders are recorded with the role `NAME (permissions all)` or `NAME (permissions admin-control)`
// (PrivilegeScheme.resolvedRole), the strongest grant the class holds.

/** The grants that make a class full administration, strongest first. */
const GRANTS = ['all', 'admin-control'] as const;
type Grant = (typeof GRANTS)[number];

/** `ops`, `all` → `ops (permissions all)`: a class that grants full administration, as its holders record it. */
export const fullClass = (name: string, grant: Grant = 'all'): string => `${name} (permissions ${grant})`;

/** The role value Junos' scheme resolves: a class name, then `(permissions all)` or `(permissions admin-control)`. */
export const RESOLVED_CLASS = /^(.+) \((permissions (?:all|admin-control))\)$/;

/** Permission flags of a `permissions` statement's words: `all`, `[ configure view ]`. */
export function permissionFlags(words: readonly string[]): string[] {
  return words.filter((w) => w !== '[' && w !== ']').map((w) => w.replace(/^\[|\]$|;$/g, '')).filter((w) => w !== '');
}

/** The grants among a `permissions …` statement's words (none for any other statement). */
function grantsOf(words: readonly string[]): Grant[] {
  if (words[0] !== 'permissions') return [];
  const flags = permissionFlags(words.slice(1));
  return GRANTS.filter((g) => flags.includes(g));
}

/** The strongest of a class's grants, if any. */
const strongest = (held: ReadonlySet<Grant> | undefined): Grant | undefined => (held ? GRANTS.find((g) => held.has(g)) : undefined);

/** The class a `system login class NAME …` path (after `system`) names, and what follows it. */
export function classPath(path: readonly string[]): { name: string; rest: string[] } | undefined {
  if (path[0] !== 'system' || path[1] !== 'login' || path[2] !== 'class' || !path[3]) return undefined;
  return { name: path[3], rest: path.slice(4) };
}

/** The classes of one configuration (a pull): which grant `permissions all` or `admin-control`. */
export class ClassBook {
  private readonly grants = new Map<string, Set<Grant>>();

  /** One statement inside (or set on) class `name`: `permissions all`, `permissions [ … ]`. */
  statement(name: string, words: readonly string[]): void {
    for (const g of grantsOf(words)) {
      const held = this.grants.get(name) ?? new Set<Grant>();
      held.add(g);
      this.grants.set(name, held);
    }
  }

  /** The role an account of class `role` holds: resolved when the class grants full administration. */
  role(role: string): string {
    const grant = strongest(this.grants.get(role));
    return grant ? fullClass(role, grant) : role;
  }

  /** Every class that resolves, by name: `ops` → `ops (permissions all)`. */
  resolved(): Map<string, string> {
    return new Map([...this.grants.keys()].map((name) => [name, this.role(name)]));
  }
}

/**
 * What syslog has shown of one recogniser's devices' classes and who holds them, so a user's class
 * is recorded resolved whichever came first: `set system login class ops permissions all` before
 * `set system login user bob class ops` resolves bob's record; after it, the class's change is
 * itself a change of bob's privilege, recorded as one. Bounded: cleared when full.
 */
export class SyslogClasses {
  private readonly grants = new Map<string, Set<Grant>>();
  private readonly holders = new Map<string, string>();

  constructor(private readonly max: number) {}

  private roleOf(device: string, cls: string): string {
    const grant = strongest(this.grants.get(`${device}\u0000${cls}`));
    return grant ? fullClass(cls, grant) : cls;
  }

  /** User `user` now holds class `cls` (undefined: none, or the account is gone); returns the role to record. */
  hold(device: string, user: string, cls: string | undefined): string | undefined {
    const key = `${device}\u0000${user}`;
    if (cls === undefined) {
      this.holders.delete(key);
      return undefined;
    }
    if (this.holders.size >= this.max) this.holders.clear();
    this.holders.set(key, cls);
    return this.roleOf(device, cls);
  }

  /**
   * A `set`/`delete` of `system login class CLS REST…`; returns the holders whose grant it changed,
   * each with the role they now hold (resolved, or the bare class when its grant was taken away).
   * `set … permissions X` adds flags; `delete … permissions X` takes those away, `delete … permissions`
   * or the class all of them.
   */
  define(device: string, cls: string, verb: string, rest: readonly string[]): Array<{ user: string; role: string }> {
    const key = `${device}\u0000${cls}`;
    const was = this.roleOf(device, cls);
    const named = grantsOf(rest);
    if (verb === 'set' && named.length) {
      if (this.grants.size >= this.max) this.grants.clear();
      const held = this.grants.get(key) ?? new Set<Grant>();
      for (const g of named) held.add(g);
      this.grants.set(key, held);
    } else if (verb === 'delete' && (rest.length === 0 || (rest[0] === 'permissions' && rest.length === 1))) {
      this.grants.delete(key);
    } else if (verb === 'delete' && named.length) {
      const held = this.grants.get(key);
      for (const g of named) held?.delete(g);
      if (held?.size === 0) this.grants.delete(key);
    }
    const now = this.roleOf(device, cls);
    if (now === was) return [];
    const prefix = `${device}\u0000`;
    const changed: Array<{ user: string; role: string }> = [];
    for (const [k, c] of this.holders) {
      if (c === cls && k.startsWith(prefix)) changed.push({ user: k.slice(prefix.length), role: now });
    }
    return changed;
  }
}
