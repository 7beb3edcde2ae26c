// CrowdStrike Falcon console users: created, deleted, given a password or roles, from the Event
// Streams API's `AuthActivityAuditEvent` (one JSON event per syslog message, as the Falcon SIEM
// connector writes them: `metadata` and `event`, with `OperationName`, `UserId` (the actor),
// `Success` and `AuditKeyValues` naming the target and roles). The customer is the device:
// `falcon:CID`. Operation names from CrowdStrike's Event Streams documentation.

import type { AaaRecord, Platform, SyslogMessage } from '../../src/types.js';
import { asArray, asObject, field, objectAt, parseJsonObject, textAt, type JsonObject } from '../lib/json-fields.js';
import { accountRecord, address, type AccountChange, type Origin, type Who } from '../lib/record.js';
import { parseIsoLike, recordTime, type Stamp } from '../lib/record-time.js';
import { epochAnyUnit } from '../lib/stamp.js';

const NONE: AaaRecord[] = [];
const PLATFORM = 'crowdstrike-falcon';
const MAX_VALUES = 64;

/** `AuditKeyValues` `{Key, ValueString}` pairs, the first of each key. */
function auditValue(e: JsonObject, key: string): string | undefined {
  for (const item of asArray(field(e, 'AuditKeyValues')).slice(0, MAX_VALUES)) {
    const kv = asObject(item);
    if (textAt(kv, 'Key') === key) return textAt(kv, 'ValueString');
  }
  return undefined;
}

/**
 * A Falcon stamp. The Event Streams JSON the SIEM connector forwards gives epoch numbers: `UTCTimestamp`
 * in seconds or milliseconds (both occur, event by event), `eventCreationTime` in milliseconds;
 * a re-rendering such as Panther's gives UTC text, `2024-07-22 15:50:16.923000000`.
 */
function stampOf(value: string | undefined): Stamp | undefined {
  const ms = epochAnyUnit(value);
  return ms === undefined ? parseIsoLike(value) : { ms, zoned: true };
}

function changes(e: JsonObject): AccountChange[] {
  const target = auditValue(e, 'target_name');
  if (!target) return [];
  switch (textAt(e, 'OperationName')) {
    case 'createUser':
      return [{ action: 'account.create', target, technique: 'T1136.003' }];
    case 'deleteUser':
      return [{ action: 'account.delete', target, technique: 'T1531' }];
    case 'changePassword':
    case 'resetPassword':
      return [{ action: 'password.change', target, technique: 'T1098' }];
    case 'grantUserRoles':
      return [{ action: 'privilege.change', target, role: auditValue(e, 'roles'), technique: 'T1098.003' }];
    // The same roles taken away: the pair Falcon's audit events name together.
    case 'revokeUserRoles':
      return [{ action: 'privilege.revoke', target, role: auditValue(e, 'roles') }];
  }
  return [];
}

function recognise(msg: SyslogMessage): AaaRecord[] {
  const s = msg.message;
  // JSON objects only; the text is parsed once for every JSON platform (lib/json-fields.ts).
  if (s.charCodeAt(0) !== 123) return NONE;
  const o = parseJsonObject(s);
  const meta = objectAt(o, 'metadata');
  const e = objectAt(o, 'event');
  if (!e || field(e, 'Success') !== true || textAt(e, 'OperationName') === undefined) return NONE;
  const found = changes(e);
  if (found.length === 0) return NONE;
  const cid = textAt(meta, 'customerIDString') ?? auditValue(e, 'target_cid');
  const origin: Origin = {
    time: recordTime(msg, stampOf(textAt(e, 'UTCTimestamp')) ?? stampOf(textAt(meta, 'eventCreationTime'))),
    device: cid ? `falcon:${cid}` : 'falcon',
    platform: PLATFORM,
  };
  const who: Who = { actor: auditValue(e, 'actor_user') ?? textAt(e, 'UserId'), actorAddress: address(textAt(e, 'UserIp')), path: 'cloud' };
  return found.map((c) => accountRecord(origin, who, c));
}

export const crowdstrikeFalcon: Platform = {
  id: PLATFORM,
  name: 'CrowdStrike Falcon console',
  recognise,
  // Offered: JSON objects.
  offer: { texts: ['{'] },
  privileges: { superuser: /\bfalcon_?host_admin\b|\bfalcon administrator\b/i },
};
