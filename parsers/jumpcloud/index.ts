// JumpCloud Directory Insights: users created and deleted, passwords, lock, suspension, MFA and
// sudo changed, users bound to systems (the JumpCloud agent then makes the account on that
// system) and to user groups, from the Directory Insights events (one JSON event per syslog
// message, as the Directory Insights API and SIEM forwarders deliver them: `event_type`,
// `initiated_by`, `resource`, `changes`, `association`). Event types and change fields from
// JumpCloud's "Directory Insights event reference". An attribute change (a division, an address)
// is no access change and yields no record, as on every directory.

import type { AaaRecord, Platform, SyslogMessage } from '../../src/types.js';
import { asArray, asObject, field, objectAt, parseJsonObject, textAt, type JsonObject } from '../lib/json-fields.js';
import { accountRecord, address, type AccountChange, type Origin, type Who } from '../lib/record.js';
import { parseIsoLike, recordTime } from '../lib/record-time.js';

const NONE: AaaRecord[] = [];
const PLATFORM = 'jumpcloud';
const MAX_CHANGES = 64;

function userUpdate(e: JsonObject, user: string): AccountChange[] {
  const fields = asArray(field(e, 'changes')).slice(0, MAX_CHANGES).map((c) => textAt(asObject(c), 'field'));
  const out: AccountChange[] = [];
  if (fields.includes('password')) out.push({ action: 'password.change', target: user, technique: 'T1098' });
  if (fields.includes('sudo')) out.push({ action: 'privilege.change', target: user, role: 'sudo', technique: 'T1098.003' });
  const suspended = asArray(field(e, 'changes')).slice(0, MAX_CHANGES).some((c) => textAt(asObject(c), 'field') === 'suspended' && field(asObject(c), 'to') === true);
  if (fields.some((f) => f === 'suspended' || f === 'account_locked' || f === 'mfa' || f === 'totp_enabled')) {
    // Suspending takes the account's access away (T1531); the rest change how it signs in.
    out.push({ action: 'account.modify', target: user, technique: suspended ? 'T1531' : 'T1098' });
  }
  return out;
}

/** A user bound to a system (an account made there by the agent) or to a user group. */
function association(e: JsonObject): { device?: string; change: AccountChange } | undefined {
  const a = objectAt(e, 'association');
  const op = textAt(a, 'op');
  const ends = [objectAt(a, 'connection', 'from'), objectAt(a, 'connection', 'to')];
  const user = ends.find((x) => textAt(x, 'type') === 'user');
  const other = ends.find((x) => x !== user);
  const name = textAt(user, 'name');
  const otherName = textAt(other, 'name');
  if (!name || !otherName) return undefined;
  const kind = textAt(other, 'type');
  if (kind === 'system' && op === 'add') return { device: otherName, change: { action: 'account.create', target: name, technique: 'T1136.001' } };
  if (kind === 'user_group' && op === 'add') return { change: { action: 'group.add_member', target: name, group: otherName, technique: 'T1098.007' } };
  if (kind === 'user_group' && op === 'remove') return { change: { action: 'group.remove_member', target: name, group: otherName } };
  return undefined;
}

function recognise(msg: SyslogMessage): AaaRecord[] {
  const s = msg.message;
  // JSON objects only; the text is parsed once for every JSON platform (lib/json-fields.ts).
  if (s.charCodeAt(0) !== 123) return NONE;
  const e = parseJsonObject(s);
  const type = textAt(e, 'event_type');
  if (!e || type === undefined || field(e, 'success') === false || objectAt(e, 'initiated_by') === undefined) return NONE;
  const user = textAt(e, 'resource', 'username') ?? textAt(e, 'resource', 'email');
  let device: string | undefined;
  let found: AccountChange[] = [];
  if (type === 'user_create' && user) found = [{ action: 'account.create', target: user, technique: 'T1136.003' }];
  else if (type === 'user_delete' && user) found = [{ action: 'account.delete', target: user, technique: 'T1531' }];
  else if (type === 'user_update' && user) found = userUpdate(e, user);
  else if (type === 'association_change') {
    const a = association(e);
    if (a) [device, found] = [a.device, [a.change]];
  }
  if (found.length === 0) return NONE;
  const org = textAt(e, 'organization');
  const stamp = textAt(e, 'timestamp');
  const origin: Origin = {
    time: recordTime(msg, parseIsoLike(stamp)),
    device: device ?? (org ? `jumpcloud:${org}` : 'jumpcloud'),
    platform: PLATFORM,
  };
  const by = objectAt(e, 'initiated_by');
  const who: Who = { actor: textAt(by, 'email') ?? textAt(by, 'username'), actorAddress: address(textAt(e, 'client_ip')), path: 'cloud' };
  return found.map((c) => accountRecord(origin, who, c));
}

export const jumpcloud: Platform = {
  id: PLATFORM,
  name: 'JumpCloud directory',
  recognise,
  // Offered: JSON objects.
  offer: { texts: ['{'] },
  privileges: { superuser: /^sudo$/ },
};
