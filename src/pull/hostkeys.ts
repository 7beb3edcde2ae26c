// Host keys: what a device presented, and whether it is the one trusted for it. Trust comes from
// an operator's known_hosts file when it lists the device, else from the key pinned in the
// database on the first successful pull (trust on first use).

import { createHash } from 'node:crypto';

export interface HostKey {
  /** The key's own type: ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256, ssh-dss. */
  type: string;
  /** The public key blob, SSH wire format. */
  blob: Buffer;
  /** SHA256:… as OpenSSH prints it. */
  fingerprint: string;
}

export function fingerprint(blob: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(blob).digest('base64').replace(/=+$/, '');
}

/** A key from its wire-format blob (the type is the blob's first string). */
export function describeKey(blob: Buffer): HostKey {
  const length = blob.length >= 4 ? blob.readUInt32BE(0) : 0;
  const type = length > 0 && length < 64 && 4 + length <= blob.length ? blob.subarray(4, 4 + length).toString('latin1') : 'unknown';
  return { type, blob, fingerprint: fingerprint(blob) };
}

export type HostKeyVerdict =
  | { kind: 'trusted' }
  | { kind: 'new' }
  | { kind: 'changed'; expected: string[] };

/** `trusted` keys are all the keys acceptable for this device; `revoked` ones never are. */
export function judgeHostKey(presented: HostKey, trusted: readonly HostKey[], revoked: readonly HostKey[] = []): HostKeyVerdict {
  if (revoked.some((k) => k.blob.equals(presented.blob))) return { kind: 'changed', expected: trusted.map((k) => k.fingerprint) };
  if (trusted.length === 0) return { kind: 'new' };
  if (trusted.some((k) => k.blob.equals(presented.blob))) return { kind: 'trusted' };
  return { kind: 'changed', expected: trusted.map((k) => k.fingerprint) };
}
