// AWS CloudTrail: IAM identities created, given credentials or MFA devices, or granted administrator
// rights, IAM groups made and removed, console passwords changed at the sign-in page, and IAM
// Identity Center's groups, members and permission-set assignments (identity-center.ts), from one
// JSON record per syslog message (a Firehose forwarder's record as it stands, or an EventBridge
// event with the record in its `detail`) or from CloudTrail's own log files (`{"Records": […]}`)
// and `aws cloudtrail lookup-events` output through `aaawatch import`.

import type { AaaRecord, ImportFormat, ImportItem, Platform, SyslogMessage } from '../../src/types.js';
import { objectAt, parseJsonObject, textAt, type JsonObject } from '../lib/json-fields.js';
import { JsonEvents, jsonRecord } from '../lib/json-records.js';
import { accountRecord, address, type Origin, type Who } from '../lib/record.js';
import { parseIsoLike, recordTime } from '../lib/record-time.js';
import { iamChanges, signinChanges } from './events.js';
import { assignedAccount, IDENTITY_CENTER_SOURCES, identityCenterChanges } from './identity-center.js';

const NONE: AaaRecord[] = [];
const NONE_CHANGES: ReturnType<typeof iamChanges> = [];
const PLATFORM = 'aws-cloudtrail';

function recognise(msg: SyslogMessage): AaaRecord[] {
  const s = msg.message;
  if (s.charCodeAt(0) !== 123 || !s.includes('"eventSource"')) return NONE;
  // Identity Center's three sources (`sso.amazonaws.com` is a substring of neither other).
  if (!s.includes('iam.amazonaws.com') && !s.includes('"PasswordUpdated"') && !s.includes('sso.amazonaws.com')
    && !s.includes('sso-directory.amazonaws.com') && !s.includes('identitystore.amazonaws.com')) return NONE;
  const outer = parseJsonObject(s);
  const bus = outer && fromEventBridge(outer);
  const r = bus ?? outer;
  const source = r && textAt(r, 'eventSource');
  if (!r || source === undefined) return NONE;
  const changes = source === 'iam.amazonaws.com' ? iamChanges(r)
    : source === 'signin.amazonaws.com' ? signinChanges(r)
      : IDENTITY_CENTER_SOURCES.has(source) ? identityCenterChanges(r) : NONE_CHANGES;
  if (changes.length === 0) return NONE;
  const identity = objectAt(r, 'userIdentity');
  // EventBridge names the account whose bus received the event: the recipient, when the record
  // itself does not say (older records carry no recipientAccountId). A permission set assigned
  // on another account is access on that account.
  const account = (source === 'sso.amazonaws.com' ? assignedAccount(r) : undefined)
    ?? textAt(r, 'recipientAccountId') ?? (bus && textAt(outer, 'account')) ?? textAt(identity, 'accountId');
  const stamp = textAt(r, 'eventTime');
  const o: Origin = {
    time: recordTime(msg, parseIsoLike(stamp)),
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

/**
 * The CloudTrail record an EventBridge event carries (`"detail-type": "AWS API Call via
 * CloudTrail"`, `… Console Sign In via CloudTrail`, the record in `detail`), as a rule's SQS,
 * Lambda or Firehose target receives it; undefined for anything else.
 */
function fromEventBridge(o: JsonObject): JsonObject | undefined {
  return textAt(o, 'detail-type')?.endsWith(' via CloudTrail') ? objectAt(o, 'detail') : undefined;
}

/**
 * A CloudTrail log file, `{"Records": [ … ]}` (as CloudTrail writes it to S3, one object per
 * event), or what `aws cloudtrail lookup-events` prints, `{"Events": [ … ]}`, each event's record a
 * JSON string in its `CloudTrailEvent` (the way an account without a trail, or an auditor given
 * console access only, gets its last 90 days): each record handed on as its own compact JSON text,
 * read as the file streams in.
 */
const LISTS: ReadonlySet<string> = new Set(['Records', 'Events']);
const importFormat: ImportFormat = {
  claims: (head) => /^\uFEFF?\s*\{\s*"(?:Records|Events)"\s*:\s*\[/.test(head),
  reader(maxRecordChars) {
    const events = new JsonEvents(LISTS, maxRecordChars);
    const records = (items: ImportItem[]): ImportItem[] => items.map(asRecord);
    return { push: (text) => records(events.push(text)), end: () => records(events.end()) };
  },
};

/** A lookup-events event as its record, `CloudTrailEvent` (a Records element never names it: handed on as it is). */
function asRecord(item: ImportItem): ImportItem {
  if (!('text' in item) || !item.text.includes('"CloudTrailEvent":')) return item;
  const inner = textAt(parseJsonObject(item.text), 'CloudTrailEvent');
  return inner === undefined ? item : jsonRecord(inner);
}

export const awsCloudtrail: Platform = {
  id: 'aws-cloudtrail',
  name: 'AWS CloudTrail',
  recognise,
  // Offered: JSON objects.
  offer: { texts: ['{'] },
  importFormat,
  // A privilege is recorded only for a policy that grants every action (events.ts): each one is
  // full administration. Not Identity Center's permission sets and groups (an ARN, a directory id:
  // identity-center.ts), which say nothing of what they allow.
  privileges: { superuser: /^(?!arn:aws:sso:|(?:[0-9a-f]{10}-)?[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$)/ },
};
