// The appliance's Ed25519 signing key: made on first use, kept beside the database with mode
// 0600 (refused when others can read it), never exported; its public key is what auditors use to
// check an evidence pack, identified by the SHA-256 of the raw 32-byte key.

import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Config } from '../config/schema.js';

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicKeyPem: string;
  fingerprint: string;
}

export function signingKeyPath(config: Config): string {
  return config.web.signingKey ?? join(dirname(config.store.path), 'signing-key.pem');
}

/** SHA-256 (hex) of the raw Ed25519 public key: the last 32 bytes of its SPKI encoding. */
export function keyFingerprint(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der.subarray(der.length - 32)).digest('hex');
}

function fromPrivate(privateKey: KeyObject): SigningKey {
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error('the signing key is not an Ed25519 key');
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(), fingerprint: keyFingerprint(publicKey) };
}

function readKey(path: string): string {
  const mode = statSync(path).mode & 0o777;
  if (mode & 0o077) throw new Error(`${path} can be read by other users (mode ${mode.toString(8)}): chmod 600 ${path}`);
  return readFileSync(path, 'utf8');
}

/** The key at `path`; an error when there is none (checking a pack never makes a key). */
export function loadSigningKey(path: string): SigningKey {
  try {
    return fromPrivate(createPrivateKey(readKey(path)));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`no signing key at ${path}: this appliance has made no evidence pack; give --public-key FILE`);
    throw err;
  }
}

/** Read the key at `path`, or make one there when there is none. */
export function loadOrCreateSigningKey(path: string): SigningKey {
  let pem: string;
  try {
    pem = readKey(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    const { privateKey } = generateKeyPairSync('ed25519');
    pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    mkdirSync(dirname(path), { recursive: true });
    try {
      // `wx`: when two processes make a key at once, the second keeps the first one's.
      writeFileSync(path, pem, { mode: 0o600, flag: 'wx' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      pem = readFileSync(path, 'utf8');
    }
  }
  return fromPrivate(createPrivateKey(pem));
}

export function readPublicKey(pem: string): KeyObject {
  const key = createPublicKey(pem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('not an Ed25519 public key');
  return key;
}
