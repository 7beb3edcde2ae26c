// AWS CloudTrail: IAM identities created, given credentials or MFA devices, or granted administrator
// rights, and IAM groups made and removed, from one JSON record per syslog message (an EventBridge
// or Firehose forwarder) or from CloudTrail's own log files (`{"Records": […]}`) through
// `aaawatch import`.

import type { AaaRecord, Platform, SyslogMessage } from '../../src/types.js';
import { asArray, asObject, field, objectAt, parseJsonObject, textAt, type JsonObject } from '../lib/json-fields.js';
import { accountRecord, address, type Origin, type Who } from '../lib/record.js';
import { parseIsoLike, recordTime } from '../lib/record-time.js';
import { iamChanges } from './events.js';

const NONE: AaaRecord[] = [];
const PLATFORM = 'aws-cloudtrail';

function recognise(msg: SyslogMessage): AaaRecord[] {
  const s = msg.message;
  if (s.charCodeAt(0) !== 123 || !s.includes('"eventSource"') || !s.includes('iam.amazonaws.com')) return NONE;
  const r = parseJsonObject(s);
  if (!r || textAt(r, 'eventSource') !== 'iam.amazonaws.com') return NONE;
  const changes = iamChanges(r);
  if (changes.length === 0) return NONE;
  const identity = objectAt(r, 'userIdentity');
  const account = textAt(r, 'recipientAccountId') ?? textAt(identity, 'accountId');
  const stamp = textAt(r, 'eventTime');
  const o: Origin = {
    time: recordTime(msg, stamp === undefined ? undefined : parseIsoLike(stamp)),
    device: account ? `aws:${account}` : 'aws',
    platform: PLATFORM,
  };
  const who: Who = {
    actor: textAt(identity, 'arn') ?? textAt(identity, 'userName') ?? textAt(identity, 'principalId'),
    // AWS writes a service name (`cloudformation.amazonaws.com`) here when a service made the call.
    actorAddress: address(textAt(r, 'sourceIPAddress')),
    path: 'cloud',
  };
  return changes.map((c) => accountRecord(o, who, c));
}

/** A CloudTrail log file: `{"Records": [ … ]}`, each record returned as its own JSON text. */
function splitImport(fileText: string): string[] | undefined {
  const start = fileText.search(/\S/);
  if (start < 0 || fileText.charCodeAt(start) !== 123 || !fileText.slice(start, start + 64).includes('"Records"')) return undefined;
  let doc: unknown;
  try {
    doc = JSON.parse(fileText);
  } catch {
    return undefined;
  }
  const records = field(asObject(doc), 'Records');
  if (!Array.isArray(records)) return undefined;
  return asArray(records)
    .map(asObject)
    .filter((r): r is JsonObject => r !== undefined)
    .map((r) => JSON.stringify(r));
}

export const awsCloudtrail: Platform = {
  id: 'aws-cloudtrail',
  name: 'AWS CloudTrail',
  recognise,
  splitImport,
  // A privilege is recorded only for a policy that grants every action (events.ts): each one is full administration.
  privileges: { superuser: /^/ },
};
