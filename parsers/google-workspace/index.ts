// Google Workspace: users created, deleted, suspended and given a password or an administrator
// role (or had it taken away), and group memberships, from the Admin SDK Reports API's activity records (`kind:
// admin#reports#activity`, one JSON record per syslog message, as SIEM forwarders and Pub/Sub
// exports carry them). Three shapes: the API's own, with an `events` list whose `parameters` are
// `{name, value}` pairs; Elastic's, the record split into one per event, `events` that one object;
// and the one-event-a-row shape some exporters flatten it into (`name`, `type` and `parameters`
// as an object at the top).
//
// Event names from Google's Admin SDK reference ("Admin activity events": user settings, group
// settings, delegated admin settings; "Groups Enterprise activity events": moderator actions;
// "Login activity events": account warnings; "User accounts activity events": a user's own
// 2-step verification and password). An administrator role taken away
// (`UNASSIGN_ROLE`, `REVOKE_ADMIN_PRIVILEGE`) is `privilege.revoke`, a group left
// `group.remove_member`; no public test line of a role taken away was found, so the two are read
// as the reference names them (tested with records in the grant's shape).

import type { AaaRecord, Platform, SyslogMessage, Technique } from '../../src/types.js';
import { asArray, asObject, field, objectAt, parseJsonObject, text, textAt, type JsonObject } from '../lib/json-fields.js';
import { accountRecord, address, type AccountChange, type Origin, type Who } from '../lib/record.js';
import { parseIsoLike, recordTime } from '../lib/record-time.js';

const NONE: AaaRecord[] = [];
const PLATFORM = 'google-workspace';
/** Events read from one record: Google batches a few; more is not a real record. */
const MAX_EVENTS = 64;

interface Event {
  name: string;
  param(key: string): string | undefined;
}

function readEvents(o: JsonObject): Event[] {
  const events = field(o, 'events');
  // Elastic's google_workspace input splits a record into one document per event and keeps that
  // event as an object under `events`: read as one event of a list.
  const list = asObject(events) ? [events] : events;
  if (Array.isArray(list)) {
    return list.slice(0, MAX_EVENTS).flatMap((item) => {
      const e = asObject(item);
      const name = textAt(e, 'name');
      if (!e || name === undefined) return [];
      const params = asArray(field(e, 'parameters'));
      return [{
        name,
        param: (key: string) => {
          const p = params.map(asObject).find((x) => textAt(x, 'name') === key);
          return p ? text(field(p, 'value')) ?? text(field(p, 'intValue')) : undefined;
        },
      }];
    });
  }
  // The flattened row: `parameters` is an object of the same names.
  const name = textAt(o, 'name');
  if (name === undefined) return [];
  const params = objectAt(o, 'parameters');
  return [{ name, param: (key: string) => textAt(params, key) }];
}

const change = (action: AccountChange['action'], target: string | undefined, extra: Partial<AccountChange> = {}): AccountChange[] =>
  target ? [{ action, target, ...extra }] : [];

function membership(action: 'group.add_member' | 'group.remove_member', member: string | undefined, group: string | undefined): AccountChange[] {
  const technique: Technique | undefined = action === 'group.add_member' ? 'T1098.007' : undefined;
  return group ? change(action, member, { group, technique }) : [];
}

function changes(e: Event, actor: string | undefined): AccountChange[] {
  const user = e.param('USER_EMAIL');
  switch (e.name) {
    // User accounts activity (application `user_accounts`): a user's own sign-in settings, the
    // actor the account. 2-step verification turned on or off is a factor added or taken away (as
    // Okta's user.mfa.factor.activate and deactivate are read); a password changed by its user.
    case '2sv_enroll':
    case '2sv_disable':
      return change('account.modify', actor, { technique: 'T1098.005' });
    case 'password_edit':
      return change('password.change', actor, { technique: 'T1098' });
    // Admin console and Directory API (application `admin`).
    case 'CREATE_USER':
      return change('account.create', user, { technique: 'T1136.003' });
    case 'DELETE_USER':
      return change('account.delete', user, { technique: 'T1531' });
    case 'SUSPEND_USER':
      return change('account.modify', user, { technique: 'T1531' });
    // An archived user cannot sign in, as a suspended one (Google's "Archive a user").
    case 'ARCHIVE_USER':
      return change('account.modify', user, { technique: 'T1531' });
    case 'UNSUSPEND_USER':
    case 'UNDELETE_USER':
    case 'UNARCHIVE_USER':
      return change('account.modify', user, { technique: 'T1098' });
    case 'CHANGE_PASSWORD':
      return change('password.change', user, { technique: 'T1098' });
    case 'GRANT_ADMIN_PRIVILEGE':
      return change('privilege.change', user, { role: 'Super Admin', technique: 'T1098.003' });
    case 'ASSIGN_ROLE':
      return change('privilege.change', user, { role: e.param('ROLE_NAME'), technique: 'T1098.003' });
    // The same taken away, from an account that stays.
    case 'REVOKE_ADMIN_PRIVILEGE':
      return change('privilege.revoke', user, { role: 'Super Admin' });
    case 'UNASSIGN_ROLE':
      return change('privilege.revoke', user, { role: e.param('ROLE_NAME') });
    case 'ADD_GROUP_MEMBER':
      return membership('group.add_member', user, e.param('GROUP_EMAIL'));
    case 'REMOVE_GROUP_MEMBER':
      return membership('group.remove_member', user, e.param('GROUP_EMAIL'));
    case 'CREATE_GROUP': {
      const group = e.param('GROUP_EMAIL');
      return change('group.create', group, { group });
    }
    case 'DELETE_GROUP': {
      const group = e.param('GROUP_EMAIL');
      return change('group.delete', group, { group });
    }
    // Groups Enterprise moderator actions: `member_id`, `group_id`.
    case 'add_member':
    case 'add_user':
      return membership('group.add_member', e.param('member_id'), e.param('group_id'));
    case 'remove_member':
    case 'remove_user':
    case 'ban_user_with_moderation':
      return membership('group.remove_member', e.param('member_id'), e.param('group_id'));
    case 'create_group': {
      const group = e.param('group_id');
      return change('group.create', group, { group });
    }
    case 'delete_group': {
      const group = e.param('group_id');
      return change('group.delete', group, { group });
    }
  }
  // Login audit: Google disabled the account (`account_disabled_spamming`, `…_hijacked`, …).
  if (e.name.startsWith('account_disabled_')) return change('account.modify', e.param('affected_email_address'), { technique: 'T1531' });
  return [];
}

/** One record per distinct change: Groups logs a removal as both `remove_user` and `remove_member`. */
function distinct(list: AccountChange[]): AccountChange[] {
  const seen = new Set<string>();
  return list.filter((c) => {
    const key = `${c.action}\u0000${c.target}\u0000${c.group ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function recognise(msg: SyslogMessage): AaaRecord[] {
  const s = msg.message;
  // JSON objects only; the text is parsed once for every JSON platform (lib/json-fields.ts), so
  // the record's own fields decide, not a scan of the text.
  if (s.charCodeAt(0) !== 123) return NONE;
  const o = parseJsonObject(s);
  const id = objectAt(o, 'id');
  if (!o || textAt(id, 'applicationName') === undefined) return NONE;
  const actor = objectAt(o, 'actor');
  const email = textAt(actor, 'email');
  const found = distinct(readEvents(o).flatMap((e) => changes(e, email)));
  if (found.length === 0) return NONE;
  const customer = textAt(id, 'customerId');
  const stamp = textAt(id, 'time');
  const origin: Origin = {
    time: recordTime(msg, parseIsoLike(stamp)),
    device: customer ? `google:${customer}` : 'google',
    platform: PLATFORM,
  };
  const who: Who = { actor: email ?? textAt(actor, 'key'), actorAddress: address(textAt(o, 'ipAddress')), path: 'cloud' };
  return found.map((c) => accountRecord(origin, who, c));
}

export const googleWorkspace: Platform = {
  id: PLATFORM,
  name: 'Google Workspace',
  recognise,
  // Offered: JSON objects.
  offer: { texts: ['{'] },
  privileges: { superuser: /^super admin$/i },
};
