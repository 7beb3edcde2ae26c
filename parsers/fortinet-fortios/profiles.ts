// FortiOS access profiles of the device's own (`config system accprofile`), ranked from what they
// permit. The CLI reference ("config system accprofile", FortiOS 6.2–7.4) gives each profile a
// permission per group (`set sysgrp none|read|read-write|custom`, `set fwgrp …`), and for a `custom`
// group its parts (`config sysgrp-permission` / `set admin none|read|read-write`: Administrator
// Users). A profile whose `admin` part may be written — `sysgrp read-write`, or `sysgrp custom` with
// `admin read-write` — creates and edits administrators, as the built-in prof_admin does (which is
// `sysgrp read-write` among the rest); neither makes a super_admin administrator, which only
// super_admin may. Its holders are recorded `NAME (admin read-write)` and rank as prof_admin. A
// profile that writes nothing (every group none or read, no `cli-config`/`cli-exec`/`cli-diagnose
// enable`) is recorded `NAME (read only)` and ranks as super_admin_readonly. Any other profile
// stays custom: the roster allows it by its name. `show` prints only what differs from the default
// (`none`, disable), so a group not printed permits nothing.

/** The grant recorded for a profile that administers administrators, and for one that writes nothing. */
export const ADMIN_GRANT = 'admin read-write';
export const READ_GRANT = 'read only';

/** The role value FortiOS' scheme resolves: a profile name, then its grant. */
export const RESOLVED_PROFILE = /^(.+) \((admin read-write|read only)\)$/;

interface Profile {
  sysgrp?: string;
  admin?: string;
  writes: boolean;
}

/** The profiles of one configuration, read line by line from inside `config system accprofile`. */
export class ProfileBook {
  private readonly profiles = new Map<string, Profile>();

  /** A profile's `edit NAME`. */
  open(name: string): Profile {
    const p: Profile = { writes: false };
    this.profiles.set(name, p);
    return p;
  }

  /** One `set KEY VALUE` of profile `p`, in its own block (`inPermission` undefined) or a `config X-permission` block. */
  set(p: Profile, key: string, value: string, inPermission: string | undefined): void {
    if (value === 'read-write' || (/^cli-(?:config|exec|diagnose)$/.test(key) && value === 'enable')) p.writes = true;
    if (inPermission === undefined && key === 'sysgrp') p.sysgrp = value;
    if (inPermission === 'sysgrp-permission' && key === 'admin') p.admin = value;
  }

  /** The role an administrator of profile `role` holds: resolved for a profile of the device's own. */
  role(role: string, builtIn: (name: string) => boolean): string {
    const p = this.profiles.get(role);
    if (!p || builtIn(role)) return role;
    if (p.sysgrp === 'read-write' || (p.sysgrp === 'custom' && p.admin === 'read-write')) return `${role} (${ADMIN_GRANT})`;
    return p.writes ? role : `${role} (${READ_GRANT})`;
  }

  /** The profiles of the device's own that resolve: name → the role their holders hold. */
  resolved(builtIn: (name: string) => boolean): Map<string, string> {
    const out = new Map<string, string>();
    for (const name of this.profiles.keys()) {
      const role = this.role(name, builtIn);
      if (role !== name) out.set(name, role);
    }
    return out;
  }
}
