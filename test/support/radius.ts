// RADIUS packets for tests that speak to the listener directly (without radclient).

import { createHash } from 'node:crypto';

/** An Accounting-Request Start of a device-administration session, signed as RFC 2866 §3 says. */
export function accountingStart(identifier: number, session: string, secret: Buffer | string, user = 'burst', nas = 'burst-nas'): Buffer {
  const attr = (type: number, value: Buffer): Buffer => Buffer.concat([Buffer.from([type, value.length + 2]), value]);
  const int = (n: number): Buffer => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    return b;
  };
  const attrs = Buffer.concat([
    attr(40, int(1)), // Acct-Status-Type = Start
    attr(1, Buffer.from(user)), // User-Name
    attr(44, Buffer.from(session)), // Acct-Session-Id
    attr(32, Buffer.from(nas)), // NAS-Identifier
    attr(6, int(7)), // Service-Type = NAS-Prompt-User
  ]);
  const p = Buffer.concat([Buffer.from([4, identifier, 0, 0]), Buffer.alloc(16), attrs]);
  p.writeUInt16BE(p.length, 2);
  createHash('md5').update(p).update(secret).digest().copy(p, 4);
  return p;
}
