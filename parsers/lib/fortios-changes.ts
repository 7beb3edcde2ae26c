// FortiOS's account changes as its event log names them (`Add system.admin bob`), shared by the
// platform's syslog reader (parsers/fortinet-fortios) and the native TACACS+ receiver, to which
// FortiOS (7.0.2+) accounts each configuration change in `reason` with the log's message.

import type { AccountChange } from './record.js';

/** An `Add`, `Edit` or `Delete` of the account `target`, with the attributes the change set (`cfgattr`, when the log has it). */
export function objectChange(action: string | undefined, target: string, attrs: ReadonlyMap<string, string>): AccountChange | undefined {
  const profile = attrs.get('accprofile');
  switch (action) {
    case 'Add':
      return { action: 'account.create', target, role: profile, technique: 'T1136.001' };
    case 'Delete':
      return { action: 'account.delete', target, technique: 'T1531' };
    case 'Edit':
      if (profile !== undefined) return { action: 'privilege.change', target, role: profile.split('->').pop(), technique: 'T1098' };
      if (attrs.has('password') || attrs.has('passwd')) return { action: 'password.change', target, technique: 'T1098' };
      return { action: 'account.modify', target, technique: 'T1098' };
    default:
      return undefined;
  }
}

const NO_ATTRIBUTES: ReadonlyMap<string, string> = new Map();
/** An event log's `msg` for an object configured (`Add system.admin bob`, logid 0100044547), as FortiOS's TACACS+ accounting sends it in `reason`. */
const OBJECT_MSG = /^(Add|Edit|Delete) (system\.admin|system\.api-user|user\.local) (?:"([^"]+)"|(\S+))$/;

/**
 * The account change an event log message names, as FortiOS (7.0.2+) accounts a configuration
 * change over TACACS+: `reason="Add system.admin bob"`, the log's `msg` without its fields (no
 * `cfgattr`, so an `Edit` is an `account.modify`). Read as the same event's syslog is.
 */
export function messageChange(reason: string): AccountChange | undefined {
  const m = OBJECT_MSG.exec(reason);
  return m ? objectChange(m[1], m[3] ?? m[4]!, NO_ATTRIBUTES) : undefined;
}
