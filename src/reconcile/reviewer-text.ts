// What a reviewer types (a decision's reason and ticket) is redacted before it is stored, on both
// engines: a password pasted into a reason must never reach finding_history or the activity log.
// The device gate (parsers/lib/secrets.ts) cannot be used as it is: it reads a word after
// `password`/`secret`/`key` as a value, as a device line means it (`enable secret X`), so prose
// lost words ("password <redacted> in CyberArk", "the enable secret <redacted> CHG-1234").
//
// The rule, decided from the secret corpus (every secret in it redacted: test/reconcile/reviewer-text)
// and a corpus of reviewers' reasons (test/fixtures/reviewer-reasons.txt, every word kept):
// - every value the gate finds is redacted, except a bare word standing after its keyword in a
//   sentence (not after `=` or `:`, not after a type digit, not in a clause that starts as a
//   device command: `username bob password X`): such a word that is prose — letters only, or a
//   ticket reference (CHG-1234, INC0012345) — is kept;
// - and what the gate reads only on device lines but a person may paste anywhere: hash shapes
//   (`$1$…`, `$6$…`, `$8$…`, `$9$…`), `password: X` / `secret=X` inside a sentence, a value after `-p`, `user%secret`, bearer tokens and JWTs,
//   aaawatch's API tokens, private keys and ssh keys, `password is|was X` where X is no word, and long
//   base64 or hex blobs.
// The text comes back with each value replaced by `<redacted>` and says whether any was: the mark
// the activity log and the exports carry (`redacted`).

import { REDACTED, secretReplacements } from '../../parsers/lib/secrets.js';

export interface ReviewerText {
  text: string;
  /** Whether a value was replaced: the auditor is told the text is not as typed. */
  redacted: boolean;
}

interface Span {
  start: number;
  end: number;
  text: string;
}

/** A word of prose: letters only (a hyphenated or quoted word is an identifier, as device values are), a sentence's punctuation after it. */
const PROSE_WORD = /^[A-Za-z][a-z]*[.,;:!?)]*$/;
/** A ticket reference: Jira's KEY-123, ServiceNow's CHG0031337 / INC0012345 / RITM… (prefix and at least five digits). */
const TICKET = /^(?:[A-Z][A-Z0-9]{1,9}-\d{1,9}|(?:CHG|INC|PRB|RITM|REQ|TASK|SCTASK|CTASK|SR|CR)\d{5,})[.,;:!?)]*$/;
/** A value written as an assignment (`password=X`, `password: X`), after a type word or digit (`secret 5 X`, `password 7 X`, `cleartext X`) or quoted. */
const ASSIGNED = /(?:[=:]\s*|(?:^|\s)(?:\d{1,2}|cleartext|plaintext|clear|cipher|simple|des|encrypted|ascii-text|hex)\s+|["'`])$/i;
/** Where a clause starts: a sentence mark, a quote, a bracket or a line's end before it. */
const CLAUSE_MARK = /[.;!?`"'(\[\n\r]/;
/** A clause that starts with a word only a device command starts with: its keyword's value is a value, whatever its letters. */
const COMMAND_CLAUSE = /^\s*(?:username|user|enable|snmp-server|tacacs-server|radius-server|aaa|local-user|set|ppp|wpa-psk|crypto|ntp|neighbor|mysqladmin|mysql|sshpass|snmpwalk|curl|configure|line)\b/i;
/** A verb's past or -ing form ("secret rotated afterwards", "password expiring"), or a keyword itself ("the secret password recovery"). */
const PROSE_FORMS = /^(?:[a-z]{2,}(?:ed|ing)|password|passwords|secret|secrets|key|keys|community|token|tokens|passphrase)$/;
/**
 * Words that tie a sentence together: a keyword's bare word that is one, or is followed by one
 * ("password vaulted in CyberArk", "the enable secret per CHG-1234", "password typed as user name"),
 * is the reviewer's prose; a value a device line or a shell command gives is followed by another
 * argument, a line's end or nothing.
 */
const FUNCTION_WORDS: ReadonlySet<string> = new Set(
  'a an the as at in on of per for by to from into under with without and or but after before since until via because so not no when while during then that which is was were be been has had have are see'.split(' '),
);

/** Forms the device gate reads only where a device writes them; `v` is the value, else the whole match. */
const REVIEWER_FORMS: readonly RegExp[] = ([
  // crypt(3), Cisco type 8/9 and friends, anywhere.
  /(?<![\w$])\$(?:1|2[abxy]?|5|6|7|8|9|y|gy|apr1|md5|sha1|sha256|sha512|pbkdf2[\w-]*|argon2(?:id|i|d)?|scrypt)\$[^\s'"]+/g,
  // A value after -p (mysql -p X, sshpass -p X) or joined to it (-pX).
  /(?<!\S)-p(?:[ \t]+(?<v>[^\s'"-][^\s'"]*)|(?<w>[^\s'"-][^\s'"]{2,}))/g,
  // user%secret (smbclient -U, rpcclient, net … -U).
  /(?<![\w%])[A-Za-z][\w.\\-]*%(?<v>[^\s%'"]+)/g,
  // Bearer / Basic credentials, JWTs, aaawatch's own API tokens.
  /\b(?:Bearer|Basic)[ \t]+(?<v>(?=[A-Za-z0-9._~+/-]*[\d._~+/-])[A-Za-z0-9._~+/-]{8,}=*)/gi,
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}(?:\.[A-Za-z0-9_-]*)?/g,
  /\baaw_[A-Za-z0-9_-]{16,}/g,
  // Private keys (PEM, OpenSSH's), to their end or the text's; ssh keys.
  /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----[\s\S]*?(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----|$)/g,
  /\b(?:ssh-(?:rsa|dss|ed25519)|ecdsa-sha2-nistp\d+|sk-ssh-ed25519@openssh\.com)[ \t]+(?<v>AAAA[A-Za-z0-9+/]+=*)/g,
  // A value assigned to a keyword anywhere in a sentence: the gate reads `password: X` only where a
  // line or prompt starts with it, so "accepted; password: Hunter2! typed by mistake" kept it.
  /\b(?:password|passwd|pwd|passphrase|secret|pin|community|key|token)s?[ \t]*[:=][ \t]*["']?(?<v>[^\s"']+)/gi,
  // "the password is|was X" where X is no word of prose (checked below).
  /\b(?:password|passwd|passphrase|secret|pin|community|key)s?[ \t]+(?:is|was|were|(?:set|changed|reset) to)[ \t]+["']?(?<p>[^\s"']+)/gi,
  // Long base64 / base64url / hex blobs (checked below).
  /(?<![A-Za-z0-9+/_=-])(?<b>[A-Za-z0-9+/_-]{32,}={0,2})(?![A-Za-z0-9+/_=-])/g,
] as const).map((re) => new RegExp(re.source, re.flags + 'd'));

/** A blob is a secret when it is hex, or holds a long run of letters and digits mixed (not hyphenated words, not a path of words). */
function isBlob(v: string): boolean {
  if (/^[0-9a-f]{32,}$/i.test(v)) return true;
  return v.split(/[-_/+]/).some((piece) => piece.length >= 20 && /\d/.test(piece) && /[A-Za-z]/.test(piece));
}

/** Whether a value read by the gate is prose the reviewer wrote: a bare word after its keyword, in a sentence. */
function keptAsProse(text: string, s: Span): boolean {
  const value = text.slice(s.start, s.end);
  if (!PROSE_WORD.test(value)) return false;
  // Read back only to the clause's start: a reason is at most 2000 characters, read once a value.
  let clause = s.start;
  while (clause > 0 && !CLAUSE_MARK.test(text[clause - 1]!)) clause--;
  const before = text.slice(Math.max(clause - 1, 0), s.start);
  if (ASSIGNED.test(before) || COMMAND_CLAUSE.test(text.slice(clause, s.start))) return false;
  const word = value.replace(/[.,;:!?)]+$/, '').toLowerCase();
  const next = /^,?[ \t]+([A-Za-z]+)/.exec(text.slice(s.end))?.[1]?.toLowerCase();
  return FUNCTION_WORDS.has(word) || PROSE_FORMS.test(word) || (next !== undefined && FUNCTION_WORDS.has(next));
}

function reviewerSpans(text: string): Span[] {
  const spans: Span[] = [];
  for (const r of secretReplacements(text)) if (!keptAsProse(text, { start: r.start, end: r.end, text: r.text })) spans.push({ start: r.start, end: r.end, text: REDACTED });
  for (const re of REVIEWER_FORMS) {
    for (const m of text.matchAll(re)) {
      const g = m.indices!.groups ?? {};
      const name = ['v', 'w', 'p', 'b'].find((n) => g[n] !== undefined);
      const [start, end] = name ? g[name]! : m.indices![0]!;
      const value = text.slice(start, end);
      if (name === 'p' && (PROSE_WORD.test(value) || TICKET.test(value) || /^\d{4}-\d{2}-\d{2}/.test(value))) continue;
      if (name === 'b' && !isBlob(value)) continue;
      if (value === REDACTED || value.startsWith(REDACTED)) continue;
      spans.push({ start, end, text: REDACTED });
    }
  }
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Span[] = [];
  for (const s of spans) {
    const last = merged[merged.length - 1];
    if (last && s.start < last.end) last.end = Math.max(last.end, s.end);
    else merged.push({ ...s });
  }
  return merged;
}

/** Reviewer text with its secrets replaced by `<redacted>`, and whether any was. */
export function reviewerText(text: string): ReviewerText {
  const spans = reviewerSpans(text);
  if (spans.length === 0) return { text, redacted: false };
  let out = '';
  let at = 0;
  for (const s of spans) {
    out += text.slice(at, s.start) + s.text;
    at = s.end;
  }
  return { text: out + text.slice(at), redacted: true };
}

/** A decision's reviewer text as it is stored: reason and ticket through reviewerText, and whether either was redacted. */
export function storedDecisionText(req: { reason: string; ticket?: string | undefined }): { reason: string; ticket: string | null; redacted: boolean } {
  const reason = reviewerText(req.reason.trim());
  const ticket = req.ticket?.trim() ? reviewerText(req.ticket.trim()) : undefined;
  return { reason: reason.text, ticket: ticket?.text ?? null, redacted: reason.redacted || (ticket?.redacted ?? false) };
}

/** The fields of an activity entry's detail that hold what a reviewer typed. */
export const REVIEWER_FIELDS = ['reason', 'ticket'] as const;

/**
 * An activity entry's detail as it is stored and chained: its reviewer fields through reviewerText,
 * and, when one was redacted, `redacted` naming them (inside the body the hash covers, so the entry
 * stays verifiable and says it is not as typed).
 */
export function storedActivityDetail(detail: Record<string, unknown>): Record<string, unknown> {
  const redacted: string[] = [];
  const out: Record<string, unknown> = { ...detail };
  for (const field of REVIEWER_FIELDS) {
    const value = detail[field];
    if (typeof value !== 'string') continue;
    const r = reviewerText(value);
    if (!r.redacted) continue;
    out[field] = r.text;
    redacted.push(field);
  }
  return redacted.length ? { ...out, redacted } : detail;
}

/**
 * A stored activity detail (its JSON) with its reviewer fields read again under this rule
 * (`purge-secret --reapply`): the fields newly redacted join those `redacted` already names. The
 * same string when nothing changes, so an entry stored under this rule is not rewritten.
 */
export function reappliedActivityDetail(detail: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(detail);
  } catch {
    return detail;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return detail;
  const before = parsed as Record<string, unknown>;
  const again = storedActivityDetail(before);
  if (again === before) return detail;
  const named = Array.isArray(before.redacted) ? before.redacted.filter((f): f is string => typeof f === 'string') : [];
  return JSON.stringify({ ...again, redacted: [...new Set([...named, ...(again.redacted as string[])])] });
}
