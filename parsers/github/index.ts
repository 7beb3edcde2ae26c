// GitHub organisation and enterprise audit log: members added to and removed from an organisation,
// their role changed, moderators and billing managers named and removed, teams made and removed and their
// members, repository collaborators, and SSH keys added to accounts, from the audit log's JSON
// entries (`action`, `actor`, `user`, `org`, `@timestamp`/`created_at`, as the REST API and audit
// log streaming deliver them, one entry per syslog message; Wazuh's `{"integration":"github",…}` is
// opened by the envelope layer). The organisation is the device: `github:ORG`.
//
// Action names from GitHub's "Audit log events for your organization". An invitation grants
// nothing until accepted (`org.add_member` follows). A role taken away from a member who stays
// (moderator, billing manager, enterprise owner) is `privilege.revoke`; a member leaving an
// organisation, team or repository is a deletion or a membership removed.

import type { AaaRecord, Platform, SyslogMessage } from '../../src/types.js';
import { field, objectAt, parseJsonObject, text, textAt, type JsonObject } from '../lib/json-fields.js';
import { accountRecord, address, type AccountChange, type Origin, type Who } from '../lib/record.js';
import { epochSecondsToIso, parseIsoLike, recordTime } from '../lib/record-time.js';

const NONE: AaaRecord[] = [];
const PLATFORM = 'github';

/** `org/name` → `org`: a team's or repository's owner, when the entry does not name the org. */
const ownerOf = (path: string | undefined): string | undefined => (path && path.includes('/') ? path.slice(0, path.indexOf('/')) : undefined);

type Reader = (e: JsonObject, actor: string) => AccountChange[];

const named = (target: string | undefined, c: Omit<AccountChange, 'target'>): AccountChange[] => (target ? [{ ...c, target }] : []);
const teamOf = (e: JsonObject): string | undefined => textAt(e, 'team') ?? textAt(objectAt(e, 'data'), 'team');

const READERS: ReadonlyMap<string, Reader> = new Map<string, Reader>([
  ['org.add_member', (e) => named(textAt(e, 'user'), { action: 'account.create', role: textAt(e, 'permission'), technique: 'T1136.003' })],
  ['org.remove_member', (e) => named(textAt(e, 'user'), { action: 'account.delete', technique: 'T1531' })],
  ['org.update_member', (e) => named(textAt(e, 'user'), { action: 'privilege.change', role: textAt(e, 'permission'), technique: 'T1098.003' })],
  ['org.add_billing_manager', (e) => named(textAt(e, 'user'), { action: 'privilege.change', role: 'billing manager', technique: 'T1098.003' })],
  ['organization_moderators.add_user', (e) => named(textAt(e, 'user'), { action: 'privilege.change', role: 'moderator', technique: 'T1098.003' })],
  ['business.add_admin', (e) => named(textAt(e, 'user'), { action: 'privilege.change', role: 'enterprise owner', technique: 'T1098.003' })],
  // The same roles taken away from a member who stays.
  ['org.remove_billing_manager', (e) => named(textAt(e, 'user'), { action: 'privilege.revoke', role: 'billing manager' })],
  ['organization_moderators.remove_user', (e) => named(textAt(e, 'user'), { action: 'privilege.revoke', role: 'moderator' })],
  ['business.remove_admin', (e) => named(textAt(e, 'user'), { action: 'privilege.revoke', role: 'enterprise owner' })],
  ['team.create', (e) => { const team = teamOf(e); return named(team, { action: 'group.create', group: team }); }],
  ['team.destroy', (e) => { const team = teamOf(e); return named(team, { action: 'group.delete', group: team }); }],
  ['team.add_member', (e) => named(textAt(e, 'user'), { action: 'group.add_member', group: teamOf(e), technique: 'T1098.007' })],
  ['team.remove_member', (e) => named(textAt(e, 'user'), { action: 'group.remove_member', group: teamOf(e) })],
  // A collaborator is given (or loses) access to one repository: membership of the repository.
  ['repo.add_member', (e) => named(textAt(e, 'user'), { action: 'group.add_member', group: textAt(e, 'repo'), role: textAt(e, 'permission'), technique: 'T1098.007' })],
  ['repo.remove_member', (e) => named(textAt(e, 'user'), { action: 'group.remove_member', group: textAt(e, 'repo') })],
  // An SSH key that signs in as the account (its owner adds it; `user` when an admin did).
  ['public_key.create', (e, actor) => named(textAt(e, 'user') ?? actor, { action: 'account.modify', technique: 'T1098.001' })],
]);

function stampOf(e: JsonObject): string | number | undefined {
  const v = field(e, '@timestamp') ?? field(e, 'created_at');
  return typeof v === 'number' ? v : text(v);
}

function timeOf(msg: SyslogMessage, e: JsonObject): string {
  const v = stampOf(e);
  if (typeof v === 'number') {
    const iso = epochSecondsToIso(v / 1000);
    return iso ?? recordTime(msg, undefined);
  }
  return recordTime(msg, parseIsoLike(v));
}

function recognise(msg: SyslogMessage): AaaRecord[] {
  const s = msg.message;
  // JSON objects only; the text is parsed once for every JSON platform (lib/json-fields.ts), so
  // the entry's own fields decide, not a scan of the text.
  if (s.charCodeAt(0) !== 123) return NONE;
  const e = parseJsonObject(s);
  const action = textAt(e, 'action');
  const reader = action === undefined ? undefined : READERS.get(action);
  const actor = textAt(e, 'actor');
  if (!e || !reader || actor === undefined) return NONE;
  const found = reader(e, actor);
  if (found.length === 0) return NONE;
  const org = textAt(e, 'org') ?? ownerOf(textAt(e, 'repo')) ?? ownerOf(teamOf(e));
  const origin: Origin = { time: timeOf(msg, e), device: org ? `github:${org}` : 'github', platform: PLATFORM };
  const who: Who = { actor, actorAddress: address(textAt(e, 'actor_ip')), path: 'cloud' };
  return found.map((c) => accountRecord(origin, who, c));
}

export const github: Platform = {
  id: PLATFORM,
  name: 'GitHub organisations',
  recognise,
  // Offered: JSON objects.
  offer: { texts: ['{'] },
  privileges: { superuser: /^(?:admin|enterprise owner)$/i },
};
