// Which SSH algorithms to offer a device. The defaults are modern (OpenSSH's stance: no SHA-1
// signatures, no CBC, no SHA-1 key exchange); old devices get the legacy ones only when their
// inventory entry opts in, appended after the modern ones so a modern peer still uses modern.

import type { CipherAlgorithm, KexAlgorithm, MacAlgorithm, ServerHostKeyAlgorithm } from 'ssh2';

export interface AlgorithmLists {
  kex?: KexAlgorithm[];
  cipher?: CipherAlgorithm[];
  serverHostKey?: ServerHostKeyAlgorithm[];
  hmac?: MacAlgorithm[];
}

/** ssh2's default list for a category with names appended (prepend and remove unused; ssh2 wants all three). */
interface Appended<T> {
  append: T[];
  prepend: T[];
  remove: T[];
}

/** The `algorithms` option for ssh2: host key algorithms as an exact list, the rest as additions to ssh2's defaults. */
export interface OfferedAlgorithms {
  kex: Appended<KexAlgorithm>;
  cipher: Appended<CipherAlgorithm>;
  serverHostKey: ServerHostKeyAlgorithm[];
  hmac: Appended<MacAlgorithm>;
}

/** Opting in with `ssh.legacy: true`: what IOS 12/15, old ASA and NX-OS 5 still speak (Oxidized #2043, #686). */
export const LEGACY: Required<AlgorithmLists> = {
  kex: ['diffie-hellman-group14-sha1', 'diffie-hellman-group-exchange-sha1', 'diffie-hellman-group1-sha1'],
  cipher: ['aes128-cbc', 'aes192-cbc', 'aes256-cbc', '3des-cbc'],
  serverHostKey: ['ssh-rsa', 'ssh-dss'],
  hmac: ['hmac-sha1-96', 'hmac-md5'],
};

const MODERN_HOST_KEYS: ServerHostKeyAlgorithm[] = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'rsa-sha2-512', 'rsa-sha2-256'];

/** Every name a device override may use (what ssh2 supports). */
export const KNOWN = {
  kex: [
    'curve25519-sha256', 'curve25519-sha256@libssh.org', 'ecdh-sha2-nistp256', 'ecdh-sha2-nistp384', 'ecdh-sha2-nistp521',
    'diffie-hellman-group-exchange-sha256', 'diffie-hellman-group14-sha256', 'diffie-hellman-group15-sha512',
    'diffie-hellman-group16-sha512', 'diffie-hellman-group17-sha512', 'diffie-hellman-group18-sha512', ...LEGACY.kex,
  ] as [KexAlgorithm, ...KexAlgorithm[]],
  cipher: [
    'chacha20-poly1305@openssh.com', 'aes128-gcm@openssh.com', 'aes256-gcm@openssh.com', 'aes128-ctr', 'aes192-ctr', 'aes256-ctr',
    ...LEGACY.cipher,
  ] as [CipherAlgorithm, ...CipherAlgorithm[]],
  serverHostKey: [...MODERN_HOST_KEYS, ...LEGACY.serverHostKey] as [ServerHostKeyAlgorithm, ...ServerHostKeyAlgorithm[]],
  hmac: [
    'hmac-sha2-256-etm@openssh.com', 'hmac-sha2-512-etm@openssh.com', 'hmac-sha1-etm@openssh.com', 'hmac-sha2-256', 'hmac-sha2-512',
    'hmac-sha1', ...LEGACY.hmac,
  ] as [MacAlgorithm, ...MacAlgorithm[]],
};

/** The host key algorithms that produce a key of this type. */
function algorithmsForKeyType(type: string): ServerHostKeyAlgorithm[] {
  return type === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [type as ServerHostKeyAlgorithm];
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

/**
 * ssh2's `algorithms` for one device: its defaults plus whatever was opted into, and an exact
 * host key list. `pinnedType` is the type of the key already trusted for the device: that type is
 * asked for first, as OpenSSH does, so a device with several host keys keeps presenting the one
 * that was pinned.
 */
export function algorithmsFor(opts: { legacy?: boolean; extra?: AlgorithmLists; pinnedType?: string }): OfferedAlgorithms {
  const extra = <K extends keyof AlgorithmLists>(k: K): Required<AlgorithmLists>[K] =>
    unique([...(opts.legacy ? LEGACY[k] : []), ...(opts.extra?.[k] ?? [])]) as Required<AlgorithmLists>[K];
  let hostKeys = unique([...MODERN_HOST_KEYS, ...extra('serverHostKey')]);
  if (opts.pinnedType) hostKeys = unique([...algorithmsForKeyType(opts.pinnedType).filter((a) => hostKeys.includes(a)), ...hostKeys]);
  return {
    kex: { append: extra('kex'), prepend: [], remove: [] },
    cipher: { append: extra('cipher'), prepend: [], remove: [] },
    serverHostKey: hostKeys,
    hmac: { append: extra('hmac'), prepend: [], remove: [] },
  };
}
