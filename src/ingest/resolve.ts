// `username bob …` sets an account: whether that creates or modifies depends on what the device
// held before. This keeps, per device, the accounts aaawatch knows of (from stored records and
// pulled configurations) and resolves provisional `account.set` records against it.

import { platformById } from '../../parsers/index.js';
import type { AccountEvent } from '../types.js';

/** The actions whose role is a user's own statement, where the platform says nothing else (Platform.roleStatements). */
const USER_STATEMENTS: readonly string[] = ['account.set', 'account.create', 'account.modify'];

export class AccountKnowledge {
  private known = new Map<string, Set<string>>();
  /** Per device, the custom roles its latest pull defines that resolve (Platform.resolvedRoles). */
  private roles = new Map<string, ReadonlyMap<string, string>>();

  constructor(seed: Iterable<readonly [device: string, account: string]> = []) {
    for (const [device, account] of seed) this.add(device, account);
  }

  has(device: string, account: string): boolean {
    return this.known.get(device)?.has(account) === true;
  }

  add(device: string, account: string): void {
    let s = this.known.get(device);
    if (!s) {
      s = new Set();
      this.known.set(device, s);
    }
    s.add(account);
  }

  /** What a pull just read: the device's accounts are these. */
  setDevice(device: string, accounts: Iterable<string>): void {
    this.known.set(device, new Set(accounts));
  }

  /** What a pull's configuration defines: the roles that resolve on the device (none: forget them). */
  setRoles(device: string, roles: ReadonlyMap<string, string> | undefined): void {
    if (roles?.size) this.roles.set(device, roles);
    else this.roles.delete(device);
  }

  remove(device: string, account: string): void {
    this.known.get(device)?.delete(account);
  }

  /**
   * Resolve `account.set` and keep the knowledge up to date with creates and deletes. The ATT&CK
   * technique follows the outcome: making a local account is T1136.001, changing one T1098.
   */
  resolve(e: AccountEvent): AccountEvent {
    e = this.withPulledRole(e);
    if (e.action === 'account.set') {
      const existed = this.has(e.device, e.target);
      this.add(e.device, e.target);
      const resolved: AccountEvent = { ...e, action: existed ? 'account.modify' : 'account.create' };
      if (e.technique === 'T1098' || e.technique === 'T1136.001') resolved.technique = existed ? 'T1098' : 'T1136.001';
      return resolved;
    }
    if (e.action === 'account.create') this.add(e.device, e.target);
    else if (e.action === 'account.delete') this.remove(e.device, e.target);
    return e;
  }

  /**
   * A user put in a role its device's latest pull defines as resolving (`set system login user bob
   * class ops-custom`, the class's `permissions all` only in an earlier pull) holds the resolved
   * role; FortiOS' `accprofile[auditor->helpdesk]` the same. Only a user's own statement
   * (Platform.roleStatements): a Junos class's change the recogniser recorded from syslog
   * (privilege.change/revoke, classes.ts) is what syslog showed after that pull, and stands.
   */
  private withPulledRole(e: AccountEvent): AccountEvent {
    if (e.role === undefined) return e;
    const resolved = this.roles.get(e.device)?.get(e.role);
    if (resolved === undefined || !(platformById(e.platform)?.roleStatements ?? USER_STATEMENTS).includes(e.action)) return e;
    return { ...e, role: resolved };
  }
}
