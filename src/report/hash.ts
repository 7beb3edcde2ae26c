// SHA-256 as every export, manifest and log entry names it: lower-case hex.

import { createHash } from 'node:crypto';

export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}
