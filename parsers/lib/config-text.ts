// Helpers the platform configuration modules share: reading accounts out of configuration text
// and replacing secrets in it. Each platform knows its own syntax; these only do the bookkeeping
// (one account per name, lines kept in order) and the secret formats that mean the same thing on
// every vendor (crypt hashes, FortiOS `ENC`, PAN-OS `-AQ==`, private-key blocks, public keys).

import { createHash } from 'node:crypto';
import type { CredentialKind, LocalAccount } from '../../src/types.js';
import { REDACTED } from './secrets/grammar.js';

export { REDACTED };

/** Lines without their line ends (devices send `\n`, `\r\n` and `\r\r\n`). */
export function splitLines(text: string): string[] {
  return text.split(/\r*\n/);
}

/** `SHA256:…` (OpenSSH's form) of a base64 SSH public key blob, or undefined when it is not one. */
export function publicKeyFingerprint(base64: string): string | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64) || base64.length < 32) return undefined;
  const blob = Buffer.from(base64, 'base64');
  // A key blob starts with its own type name (uint32 length + `ssh-…`/`ecdsa-…`).
  if (blob.length < 8) return undefined;
  const typeLength = blob.readUInt32BE(0);
  if (typeLength < 3 || typeLength > 64 || 4 + typeLength > blob.length) return undefined;
  if (!/^[a-z0-9@.-]+$/.test(blob.subarray(4, 4 + typeLength).toString('latin1'))) return undefined;
  return 'SHA256:' + createHash('sha256').update(blob).digest('base64').replace(/=+$/, '');
}

/**
 * A public key is not a secret, but the brief is to keep key material out of storage; its
 * fingerprint stays so that a key swapped on an account still shows as a change.
 */
export function redactPublicKey(base64: string): string {
  const fp = publicKeyFingerprint(base64);
  return fp ? `<key ${fp}>` : REDACTED;
}

// Formats that are a secret wherever they appear, in any vendor's text.
const UNAMBIGUOUS: RegExp[] = [
  // crypt(3) and Cisco hashes: `$1$salt$hash`, `$5$`, `$6$`, `$8$`, `$9$`, `$y$`, `$2b$`, ASA `$sha512$5000$…`.
  /\$(?:1|2[aby]?|5|6|7|8|9|y|sha512|sha256|pbkdf2-sha\d+)\$[^\s"';]+/g,
  // FortiOS reversible encryption: `ENC <base64>`.
  /(?<=\bENC\s+)[A-Za-z0-9+/=]{8,}/g,
  // PAN-OS encrypted values: `-AQ==…`.
  /-AQ==[A-Za-z0-9+/=]+/g,
  // Credentials inside a URL: `ftp://user:secret@host/…`.
  /(?<=\b[a-z][a-z0-9+.-]*:\/\/[^:/\s"'@]+:)[^@\s"']+(?=@)/gi,
];

/** Replace the secret formats that cannot be anything else. Idempotent. */
export function redactUnambiguous(line: string): string {
  if (!line.includes('$') && !line.includes('ENC') && !line.includes('-AQ==') && !line.includes('://')) return line;
  let out = line;
  for (const re of UNAMBIGUOUS) out = out.replace(re, REDACTED);
  return out;
}

/**
 * Replace PEM private-key blocks (`-----BEGIN … PRIVATE KEY-----` to its END line), which span
 * lines, with one marker; the line that opens the block keeps its text before the block.
 */
export function redactPrivateKeyBlocks(lines: string[]): string[] {
  const out: string[] = [];
  let inside = false;
  for (const line of lines) {
    if (!inside) {
      const begin = line.search(/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/);
      if (begin < 0) {
        out.push(line);
        continue;
      }
      const end = line.indexOf('-----END', begin);
      if (end >= 0) {
        const close = line.indexOf('-----', line.indexOf('KEY', end) + 3);
        out.push(line.slice(0, begin) + REDACTED + (close >= 0 ? line.slice(close + 5) : ''));
      } else {
        out.push(line.slice(0, begin) + REDACTED);
        inside = true;
      }
      continue;
    }
    const end = line.search(/-----END [A-Z0-9 ]*PRIVATE KEY-----/);
    if (end >= 0) {
      inside = false;
      // Whatever follows the block on its END line (a closing quote) belongs to the line above.
      const rest = line.slice(line.indexOf('-----', end + 8) + 5);
      if (rest) out[out.length - 1] += rest;
    }
  }
  return out;
}

/** Collects accounts by name in the order they first appear, merging every line of one user. */
export class AccountBook {
  private readonly byName = new Map<string, LocalAccount>();

  constructor(private readonly redactLine: (line: string) => string) {}

  /** The account, created on first mention; `line` (raw) is kept redacted. */
  add(name: string, line?: string): LocalAccount {
    let account = this.byName.get(name);
    if (!account) {
      account = { name, roles: [], credentials: [], lines: [] };
      this.byName.set(name, account);
    }
    if (line !== undefined) account.lines.push(this.redactLine(line).trimEnd());
    return account;
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  all(): LocalAccount[] {
    return [...this.byName.values()].map((a) => ({
      ...a,
      // `none` means "no credential configured": it cannot sit next to a real one.
      credentials: a.credentials.length > 1 ? a.credentials.filter((c) => c !== 'none') : a.credentials,
    }));
  }
}

export function addRole(account: LocalAccount, role: string): void {
  if (role && !account.roles.includes(role)) account.roles.push(role);
}

export function addCredential(account: LocalAccount, kind: CredentialKind): void {
  if (!account.credentials.includes(kind)) account.credentials.push(kind);
}

/** A value without its surrounding double quotes (`"super_admin"` → `super_admin`). */
export function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1).replace(/\\"/g, '"') : value;
}

/** SSH public key material on a line (`ssh-rsa AAAA…`) becomes its fingerprint. */
export function redactKeyMaterial(line: string): string {
  return line.replace(
    /(\b(?:ssh-rsa|ssh-dss|ssh-ed25519|ecdsa-sha2-nistp\d+|sk-ssh-ed25519@openssh\.com)\s+"?)([A-Za-z0-9+/]{32,}={0,2})/g,
    (_, keep: string, blob: string) => keep + redactPublicKey(blob),
  );
}
