// Privilege per platform on one scale, from the vendors' documented built-in levels and roles;
// custom roles are allowed only when the roster names them.

import { describe, expect, it } from 'vitest';
import { allowanceOf, exceeding, grantsSuperuser, isAdministrative, privilegeOf, rankOf, roleRule } from '../../src/reconcile/privilege.js';

const over = (platform: string, privilege: string | undefined, roles: string[], allowed: string, allowedRoles: string[] = []): string[] =>
  exceeding(privilegeOf(platform, privilege, roles), allowanceOf(platform, [{ privilege: allowed, roles: allowedRoles }])).map((f) => f.label);

describe('what an account holds', () => {
  it('IOS and ASA levels, with the documented defaults when the line names none', () => {
    expect(privilegeOf('cisco-ios', undefined, [])).toMatchObject({ rank: 1, label: 'privilege 1' });
    expect(privilegeOf('cisco-ios', '15', [])).toMatchObject({ rank: 15, label: 'privilege 15' });
    expect(privilegeOf('cisco-asa', undefined, [])).toMatchObject({ rank: 2, label: 'privilege 2' });
  });

  it('NX-OS and EOS roles, and both at once', () => {
    expect(privilegeOf('cisco-nxos', undefined, [])).toMatchObject({ rank: 1, label: 'role network-operator' });
    expect(privilegeOf('cisco-nxos', undefined, ['network-admin'])).toMatchObject({ rank: 15 });
    expect(privilegeOf('cisco-nxos', undefined, ['priv-7'])).toMatchObject({ rank: 7 });
    expect(privilegeOf('arista-eos', '1', ['network-admin'])).toMatchObject({ rank: 15, label: 'privilege 1, role network-admin' });
  });

  it('Junos classes, FortiOS profiles, PAN-OS roles, IOS-XR and RouterOS groups', () => {
    expect(['super-user', 'operator', 'read-only', 'unauthorized'].map((c) => rankOf('juniper-junos', c))).toEqual([15, 5, 1, 0]);
    expect(privilegeOf('juniper-junos', undefined, ['super-user']).label).toBe('class super-user');
    expect(['super_admin', 'prof_admin', 'super_admin_readonly'].map((c) => rankOf('fortinet-fortios', c))).toEqual([15, 12, 2]);
    expect(privilegeOf('fortinet-fortios', undefined, ['super_admin']).label).toBe('accprofile super_admin');
    expect(['superuser', 'deviceadmin', 'vsysadmin', 'superreader', 'devicereader', 'vsysreader'].map((r) => rankOf('paloalto-panos', r))).toEqual([15, 12, 10, 5, 3, 2]);
    expect(rankOf('cisco-iosxr', 'root-system')).toBe(15);
    expect(rankOf('cisco-iosxr', 'operator')).toBe(1);
    // A read-only group ranks as read-only (1) on every platform that has one; 0 is no access.
    expect([rankOf('cisco-iosxr', 'read-only-tg'), rankOf('cisco-iosxr', 'retrieve'), rankOf('juniper-junos', 'read-only'), rankOf('mikrotik-routeros', 'read')]).toEqual([1, 1, 1, 1]);
    expect(over('cisco-iosxr', undefined, ['read-only-tg'], '0')).toEqual(['group read-only-tg']);
    expect(['full', 'write', 'read'].map((g) => rankOf('mikrotik-routeros', g))).toEqual([15, 10, 1]);
    // A role one platform defines means nothing on another.
    expect(rankOf('cisco-ios', 'network-admin')).toBeUndefined();
    expect(rankOf('juniper-junos', 'noc-custom')).toBeUndefined();
  });

  it('administrative means the top of the scale', () => {
    expect(isAdministrative(privilegeOf('juniper-junos', undefined, ['super-user']))).toBe(true);
    expect(isAdministrative(privilegeOf('cisco-ios', '14', []))).toBe(false);
  });

  it('full administration below the top of the scale where the vendor documents it', () => {
    // IOS-XR: root-lr displays and executes every command of its SDR, the only one of a router that is
    // not partitioned (and the top XR group on 64-bit IOS XR, where root-system is the admin plane's).
    expect(['root-lr', 'root-system', 'netadmin', 'sysadmin', 'operator'].map((g) => grantsSuperuser('cisco-iosxr', undefined, [g]))).toEqual([true, true, false, false, false]);
    // root-system still ranks above root-lr: a roster allowing root-lr does not allow root-system.
    expect(over('cisco-iosxr', undefined, ['root-system'], 'root-lr')).toEqual(['group root-system']);
    // Huawei VRP: user levels 3–15 are all the management level by default (user management, level setting, files).
    expect(['3', '15', '2', '0'].map((l) => grantsSuperuser('huawei-vrp', l, []))).toEqual([true, true, false, false]);
    // A user group is no level, whatever its name.
    expect(grantsSuperuser('huawei-vrp', undefined, ['3'])).toBe(false);
    // NX-OS: vdc-admin creates accounts in its VDC, and a Nexus 9000's one VDC is the switch; the operators read only.
    expect(['network-admin', 'vdc-admin', 'network-operator', 'vdc-operator', 'priv-15', 'priv-14'].map((r) => grantsSuperuser('cisco-nxos', undefined, [r])))
      .toEqual([true, true, false, false, true, false]);
    // vdc-admin still ranks below network-admin: a roster allowing vdc-admin does not allow network-admin.
    expect(over('cisco-nxos', undefined, ['network-admin'], 'vdc-admin')).toEqual(['role network-admin']);
    // RouterOS: a group of the device's own with write and policy (user management) is full's grant; the roster allows it by name.
    expect(grantsSuperuser('mikrotik-routeros', undefined, ['ops (write,policy)'])).toBe(true);
    expect(grantsSuperuser('mikrotik-routeros', undefined, ['ops'])).toBe(false);
    // A group name with a space (RouterOS quotes it) is resolved all the same.
    expect(grantsSuperuser('mikrotik-routeros', undefined, ['night ops (write,policy)'])).toBe(true);
    expect(over('mikrotik-routeros', undefined, ['ops (write,policy)'], 'ops')).toEqual([]);
    expect(over('mikrotik-routeros', undefined, ['ops (write,policy)'], 'write')).toEqual(['group ops (write,policy)']);
    // Junos: a class of the device's own with `permissions all` (parsers/juniper-junos/classes.ts) is super-user's grant.
    expect(grantsSuperuser('juniper-junos', undefined, ['ops (permissions all)'])).toBe(true);
    expect(privilegeOf('juniper-junos', undefined, ['ops (permissions all)'])).toMatchObject({ rank: 15, label: 'class ops (permissions all)' });
    expect(grantsSuperuser('juniper-junos', undefined, ['ops'])).toBe(false);
    // The roster allows it by its own name, as any custom class; a roster allowing only read-only does not.
    expect(over('juniper-junos', undefined, ['ops (permissions all)'], 'ops')).toEqual([]);
    expect(over('juniper-junos', undefined, ['ops (permissions all)'], 'read-only')).toEqual(['class ops (permissions all)']);
    expect(over('juniper-junos', undefined, ['ops (permissions all)'], 'super-user')).toEqual([]);
    // FortiOS: a profile of the device's own that writes administrators ranks as prof_admin (no superuser:
    // only super_admin makes super_admin administrators); one that writes nothing as super_admin_readonly.
    expect(privilegeOf('fortinet-fortios', undefined, ['helpdesk (admin read-write)'])).toMatchObject({ rank: 12 });
    expect(grantsSuperuser('fortinet-fortios', undefined, ['helpdesk (admin read-write)'])).toBe(false);
    expect(over('fortinet-fortios', undefined, ['helpdesk (admin read-write)'], 'helpdesk')).toEqual([]);
    expect(over('fortinet-fortios', undefined, ['helpdesk (admin read-write)'], 'prof_admin')).toEqual([]);
    expect(over('fortinet-fortios', undefined, ['helpdesk (admin read-write)'], 'super_admin_readonly')).toEqual(['accprofile helpdesk (admin read-write)']);
    expect(over('fortinet-fortios', undefined, ['auditor (read only)'], 'super_admin_readonly')).toEqual([]);
    // A class with admin-control makes accounts of any class: super-user's equal for this question.
    expect(grantsSuperuser('juniper-junos', undefined, ['helpdesk (permissions admin-control)'])).toBe(true);
    expect(over('juniper-junos', undefined, ['helpdesk (permissions admin-control)'], 'helpdesk')).toEqual([]);
    expect(over('juniper-junos', undefined, ['helpdesk (permissions admin-control)'], 'operator')).toEqual(['class helpdesk (permissions admin-control)']);
  });
});

describe('groups no vendor text ranks', () => {
  it('IOS-XR maintenance and provisioning are held as custom groups', () => {
    // IOS-XR maintenance/provisioning: no Cisco text ranks them (parsers/cisco-iosxr/config.ts), so only a roster naming
    // them allows them, and no ranked allowance does (a guessed rank 6/8 let a roster allowing netadmin allow them).
    expect(rankOf('cisco-iosxr', 'maintenance')).toBeUndefined();
    expect(over('cisco-iosxr', undefined, ['maintenance'], 'maintenance')).toEqual([]);
    expect(over('cisco-iosxr', undefined, ['provisioning'], 'netadmin')).toEqual(['group provisioning']);
    expect(over('cisco-iosxr', undefined, ['maintenance'], 'operator')).toEqual(['group maintenance']);
  });
});

describe('more than the roster allows', () => {
  it('a raised level', () => {
    expect(over('cisco-ios', '15', [], '1')).toEqual(['privilege 15']);
    expect(over('cisco-ios', '1', [], '15')).toEqual([]);
    expect(over('cisco-ios', undefined, [], '1')).toEqual([]);
  });

  it('a role allowed by name is compared by rank on the device platform', () => {
    expect(over('arista-eos', '15', ['network-admin'], 'network-admin')).toEqual([]);
    expect(over('arista-eos', '15', ['network-admin'], 'network-operator')).toEqual(['privilege 15', 'role network-admin']);
    expect(over('juniper-junos', undefined, ['super-user'], 'read-only')).toEqual(['class super-user']);
    expect(over('juniper-junos', undefined, ['operator'], '15')).toEqual([]);
    expect(over('paloalto-panos', undefined, ['superuser'], 'deviceadmin')).toEqual(['role superuser']);
  });

  it('a custom role passes only when named', () => {
    expect(over('juniper-junos', undefined, ['noc-custom'], 'operator')).toEqual(['class noc-custom']);
    expect(over('juniper-junos', undefined, ['noc-custom'], 'operator', ['noc-custom'])).toEqual([]);
    expect(over('fortinet-fortios', undefined, ['ops_profile'], 'ops_profile')).toEqual([]);
    // Allowed only a custom profile: a built-in administrator profile exceeds it.
    expect(over('fortinet-fortios', undefined, ['super_admin'], 'ops_profile')).toEqual(['accprofile super_admin']);
  });

  it('several valid entries allow the most any of them does', () => {
    const allowed = allowanceOf('cisco-nxos', [{ privilege: 'network-operator', roles: [] }, { privilege: 'network-admin', roles: [] }]);
    expect(allowed.rank).toBe(15);
    expect(allowed.label).toBe('role network-operator or role network-admin');
  });
});

describe('roles named like Object.prototype members', () => {
  it('have no rank, so a roster must name them', () => {
    for (const role of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      expect(rankOf('juniper-junos', role)).toBeUndefined();
    }
  });
});

describe('Windows groups recorded with their SID', () => {
  it('are allowed by a roster naming the group or its SID, and administer by SID whatever their name', () => {
    const held = 'Administratoren (S-1-5-32-544)';
    expect(over('windows', undefined, [held], 'Administratoren')).toEqual([]);
    expect(over('windows', undefined, [held], 'S-1-5-32-544')).toEqual([]);
    expect(over('windows', undefined, [held], 'Users')).toEqual([`role ${held}`]);
    expect(grantsSuperuser('windows', undefined, [held])).toBe(true);
    expect(grantsSuperuser('windows', undefined, ['Domänen-Admins (S-1-5-21-1-2-3-512)'])).toBe(true);
    expect(grantsSuperuser('windows', undefined, ['Administrators'])).toBe(true);
    // The SID decides: a domain group named like the builtin one, or the builtin Users, is not it.
    expect(grantsSuperuser('windows', undefined, ['Administrators (S-1-5-21-1-2-3-1105)'])).toBe(false);
    expect(grantsSuperuser('windows', undefined, ['Benutzer (S-1-5-32-545)'])).toBe(false);
  });
});

describe('a role a record states, against one the account held', () => {
  it('restates it by the name the roster allows it by, unless ranked higher; another name is another role', () => {
    const forti = roleRule('fortinet-fortios').restates;
    // Syslog's bare profile re-states the pulled, resolved one (either way round), and itself.
    expect(forti('helpdesk', 'helpdesk (admin read-write)')).toBe(true);
    expect(forti('helpdesk (admin read-write)', 'helpdesk')).toBe(true);
    expect(forti('super_admin', 'super_admin')).toBe(true);
    expect(forti('helpdesk', 'auditor (read only)')).toBe(false);
    expect(forti('super_admin', 'helpdesk (admin read-write)')).toBe(false);
    // Both ranked, the same name: a higher grant is one, the same or a lower is not.
    expect(forti('auditor (admin read-write)', 'auditor (read only)')).toBe(false);
    expect(forti('auditor (read only)', 'auditor (admin read-write)')).toBe(true);
    const junos = roleRule('juniper-junos').restates;
    expect(junos('ops-custom', 'ops-custom (permissions all)')).toBe(true);
    expect(junos('ops-custom (permissions all)', 'ops-custom (permissions admin-control)')).toBe(true);
    expect(junos('ops-custom', 'noc')).toBe(false);
    const ros = roleRule('mikrotik-routeros').restates;
    expect(ros('ops', 'ops (write,policy)')).toBe(true);
    expect(ros('full', 'ops (write,policy)')).toBe(false);
    // A platform that resolves nothing compares the text.
    expect(roleRule('cisco-nxos').restates('network-admin (x)', 'network-admin')).toBe(false);
  });
});

describe('roles given and taken away, by what they are', () => {
  it('a role re-stated is the one held; a revocation of either form takes it (RouterOS `group=`, FortiOS accprofile, Junos class)', () => {
    // RouterOS `/user print detail`: `group=ops` where ops allows write and policy, read as `ops (write,policy)`.
    const ros = roleRule('mikrotik-routeros');
    expect(ros.given(['ops (write,policy)'], 'ops')).toEqual({ roles: ['ops (write,policy)'], as: 'ops (write,policy)' });
    // A RouterOS user is in one group: another stated takes its place.
    expect(ros.given(['ops (write,policy)'], 'full').roles).toEqual(['full']);
    expect(['ops (write,policy)', 'read'].filter((x) => !ros.takes('ops', x))).toEqual(['read']);
    const forti = roleRule('fortinet-fortios');
    expect(forti.given(['helpdesk (admin read-write)'], 'helpdesk').roles).toEqual(['helpdesk (admin read-write)']);
    // The same name ranked higher is another grant; an administrator holds one profile, so it takes the lower one's place.
    expect(forti.given(['auditor (read only)'], 'auditor (admin read-write)').roles).toEqual(['auditor (admin read-write)']);
    // `accprofile[auditor->helpdesk]` after a pull read `auditor (read only)`: helpdesk alone, as the device holds it.
    expect(forti.given(['auditor (read only)'], 'helpdesk')).toEqual({ roles: ['helpdesk'], as: 'helpdesk' });
    expect(forti.takes('helpdesk', 'helpdesk (admin read-write)')).toBe(true);
    expect(forti.takes('helpdesk (admin read-write)', 'helpdesk')).toBe(true);
    expect(forti.takes('helpdesk', 'auditor (read only)')).toBe(false);
    // Only the stated one ranked: it takes the bare one's place, so the row says what it grants.
    expect(roleRule('juniper-junos').given(['noc', 'ops'], 'ops (permissions all)')).toEqual({ roles: ['noc', 'ops (permissions all)'], as: 'ops (permissions all)' });
    expect(roleRule('juniper-junos').given(['operator'], 'super-user').roles).toEqual(['super-user']);
    expect(roleRule('arista-eos').given(['network-operator'], 'network-admin').roles).toEqual(['network-admin']);
    // A platform that resolves nothing, or one no module describes, compares the text; NX-OS and IOS-XR
    // hold several roles and usergroups, so another one stated is one more.
    expect(roleRule('cisco-nxos').given(['network-admin'], 'network-admin (x)').roles).toEqual(['network-admin', 'network-admin (x)']);
    expect(roleRule('cisco-iosxr').given(['netadmin'], 'sysadmin').roles).toEqual(['netadmin', 'sysadmin']);
    expect(roleRule('no-such-platform').takes('a', 'a')).toBe(true);
    expect(roleRule('no-such-platform').takes('a (b)', 'a')).toBe(false);
  });
});
