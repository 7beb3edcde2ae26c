// Whether an IAM policy grants administrator rights: the managed AdministratorAccess policy, or a
// policy document with an `Allow` statement for every action (`*` or `*:*`) on every resource.

import { asArray, asObject, field, parseJsonObject, text, type JsonObject } from '../lib/json-fields.js';

const ADMIN_POLICY = /^arn:aws[\w-]*:iam::aws:policy\/AdministratorAccess$/;

export function isAdminPolicyArn(arn: string | undefined): boolean {
  return arn !== undefined && ADMIN_POLICY.test(arn);
}

const isStar = (v: unknown): boolean => v === '*' || v === '*:*';
const anyStar = (v: unknown): boolean => isStar(v) || asArray(v).some(isStar);

/** CloudTrail carries the document as a JSON string, sometimes URL-encoded. */
export function policyDocument(raw: unknown): JsonObject | undefined {
  const doc = asObject(raw);
  if (doc) return doc;
  const s = text(raw);
  if (s === undefined) return undefined;
  if (s.startsWith('%7B')) {
    try {
      return parseJsonObject(decodeURIComponent(s));
    } catch {
      return undefined;
    }
  }
  return parseJsonObject(s);
}

function statements(doc: JsonObject): JsonObject[] {
  const st = field(doc, 'Statement');
  const one = asObject(st);
  return (one ? [one] : asArray(st).map(asObject)).filter((s): s is JsonObject => s !== undefined).slice(0, 256);
}

export function grantsAdmin(doc: JsonObject | undefined): boolean {
  if (!doc) return false;
  return statements(doc).some(
    (s) => field(s, 'Effect') === 'Allow' && anyStar(field(s, 'Action')) && anyStar(field(s, 'Resource') ?? '*'),
  );
}

/** A trust policy that lets anyone assume the role (`"Principal": "*"` or `{"AWS": "*"}`). */
export function trustsAnyone(doc: JsonObject | undefined): boolean {
  if (!doc) return false;
  return statements(doc).some((s) => {
    if (field(s, 'Effect') !== 'Allow') return false;
    const p = field(s, 'Principal');
    return isStar(p) || anyStar(field(asObject(p), 'AWS'));
  });
}
