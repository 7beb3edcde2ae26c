// Okta: users created, deleted, suspended, deactivated and reactivated, passwords and MFA factors
// changed, administrator roles granted and revoked, group memberships, and API tokens made, from the System
// Log's events (one JSON event per syslog message, as Okta's log streaming and SIEM forwarders
// send them; some exporters lower-case the keys, `eventtype`, `debugcontext`, which is read too).
//
// Event types from Okta's "Event types" catalogue. A failed event (`outcome.result` other than
// SUCCESS) changed nothing. An administrator role taken away (`user.account.privilege.revoke`,
// `group.privilege.revoke`) is `privilege.revoke`: no public test line of either was found, so
// they are read as the catalogue names them (tested with entries in the grant's shape).

import type { AaaRecord, Platform, SyslogMessage, Technique } from '../../src/types.js';
import { asArray, asObject, field, objectAt, parseJsonObject, textAt, type JsonObject } from '../lib/json-fields.js';
import { accountRecord, address, type AccountChange, type Origin, type Who } from '../lib/record.js';
import { parseIsoLike, recordTime } from '../lib/record-time.js';

const NONE: AaaRecord[] = [];
const PLATFORM = 'okta';
const MAX_TARGETS = 32;

/** A key as Okta writes it (`eventType`), or lower-cased as some exporters re-key it (`eventtype`). */
const at = (o: JsonObject | undefined, key: string): unknown => field(o, key) ?? field(o, key.toLowerCase());
const obj = (o: JsonObject | undefined, key: string): JsonObject | undefined => asObject(at(o, key));
const str = (o: JsonObject | undefined, key: string): string | undefined => textAt(o, key) ?? textAt(o, key.toLowerCase());

interface Event {
  type: string;
  targets: JsonObject[];
  debug: JsonObject | undefined;
  actor: string | undefined;
}

/** A user by its login (`alternateId`); a group by its name (Okta writes `unknown` as a group's alternateId). */
const targetOf = (e: Event, type: string): string | undefined => {
  const t = e.targets.find((x) => str(x, 'type') === type);
  if (!t) return undefined;
  return type === 'User' ? str(t, 'alternateId') ?? str(t, 'displayName') ?? str(t, 'id') : str(t, 'displayName') ?? str(t, 'id');
};

/** The role a revocation took: `privilegeRevoked` beside the grant's `privilegeGranted`, else a ROLE target's name. */
const revokedOf = (e: Event): string | undefined => str(e.debug, 'privilegeRevoked') ?? targetOf(e, 'ROLE');

const one = (action: AccountChange['action'], target: string | undefined, technique?: Technique, extra: Partial<AccountChange> = {}): AccountChange[] =>
  target ? [{ action, target, technique, ...extra }] : [];

const LIFECYCLE: Readonly<Record<string, [AccountChange['action'], Technique]>> = {
  'user.lifecycle.create': ['account.create', 'T1136.003'],
  'user.lifecycle.delete.completed': ['account.delete', 'T1531'],
  'user.lifecycle.suspend': ['account.modify', 'T1531'],
  'user.lifecycle.deactivate': ['account.modify', 'T1531'],
  'user.lifecycle.unsuspend': ['account.modify', 'T1098'],
  'user.lifecycle.activate': ['account.modify', 'T1098'],
  'user.lifecycle.reactivate': ['account.modify', 'T1098'],
  'user.account.update_password': ['password.change', 'T1098'],
  'user.account.reset_password': ['password.change', 'T1098'],
  'user.mfa.factor.activate': ['account.modify', 'T1098.005'],
  'user.mfa.factor.deactivate': ['account.modify', 'T1098.005'],
  // A factor suspended ("Suspend factor for user"): sign-in asks for one fewer until it is back.
  'user.mfa.factor.suspend': ['account.modify', 'T1098.005'],
  'user.mfa.factor.reset_all': ['account.modify', 'T1098.005'],
};

function changes(e: Event): AccountChange[] {
  const lifecycle = LIFECYCLE[e.type];
  if (lifecycle) return one(lifecycle[0], targetOf(e, 'User'), lifecycle[1]);
  const granted = str(e.debug, 'privilegeGranted');
  switch (e.type) {
    case 'user.account.privilege.grant':
      return one('privilege.change', targetOf(e, 'User'), 'T1098.003', { role: granted });
    case 'group.privilege.grant': {
      const group = targetOf(e, 'UserGroup');
      return one('privilege.change', group, 'T1098.003', { role: granted, group });
    }
    // The same taken away; what was taken is named as the grant names it, else by a ROLE target.
    case 'user.account.privilege.revoke':
      return one('privilege.revoke', targetOf(e, 'User'), undefined, { role: revokedOf(e) });
    case 'group.privilege.revoke': {
      const group = targetOf(e, 'UserGroup');
      return one('privilege.revoke', group, undefined, { role: revokedOf(e), group });
    }
    case 'group.user_membership.add':
      return one('group.add_member', targetOf(e, 'User'), 'T1098.007', { group: targetOf(e, 'UserGroup') });
    case 'group.user_membership.remove':
      return one('group.remove_member', targetOf(e, 'User'), undefined, { group: targetOf(e, 'UserGroup') });
    // An API token acts as the administrator who made it: a credential added to that account.
    case 'system.api_token.create':
      return one('account.modify', e.actor, 'T1098.001');
  }
  return [];
}

function recognise(msg: SyslogMessage): AaaRecord[] {
  const s = msg.message;
  // JSON objects only; the text is parsed once for every JSON platform (lib/json-fields.ts), so
  // the event's own fields decide, not a scan of the text (CloudTrail records carry an `eventType` too).
  if (s.charCodeAt(0) !== 123) return NONE;
  const o = parseJsonObject(s);
  const type = str(o, 'eventType');
  if (!o || type === undefined) return NONE;
  const result = str(obj(o, 'outcome'), 'result');
  if (result !== undefined && result !== 'SUCCESS') return NONE;
  const actor = obj(o, 'actor');
  const e: Event = {
    type,
    targets: asArray(at(o, 'target')).slice(0, MAX_TARGETS).flatMap((t): JsonObject[] => { const x = asObject(t); return x ? [x] : []; }),
    debug: objectAt(obj(o, 'debugContext'), 'debugData') ?? objectAt(obj(o, 'debugContext'), 'debugdata'),
    actor: str(actor, 'alternateId'),
  };
  const found = changes(e);
  if (found.length === 0) return NONE;
  const stamp = str(o, 'published');
  const origin: Origin = { time: recordTime(msg, parseIsoLike(stamp)), device: 'okta', platform: PLATFORM };
  const who: Who = { actor: e.actor, actorAddress: address(str(obj(o, 'client'), 'ipAddress')), path: 'cloud' };
  return found.map((c) => accountRecord(origin, who, c));
}

export const okta: Platform = {
  id: PLATFORM,
  name: 'Okta',
  recognise,
  // Offered: JSON objects.
  offer: { texts: ['{'] },
  privileges: { superuser: /\bsuper administrator\b/i },
};
