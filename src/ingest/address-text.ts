// A sender's address as text, from the socket address the kernel wrote (struct sockaddr_in or
// sockaddr_in6), spelled exactly as Node's dgram spells `rinfo.address`: datagrams read in batches
// (datagram-io.ts) reach the allow list, the secret table and the device names under the same
// text as those Node read itself. Node formats with libuv's inet_ntop (src/inet.c), whose IPv6 rules
// are BIND's: the longest run of two or more zero groups (the first of equal runs) written `::`,
// and an embedded IPv4 address dotted in `::ffff:a.b.c.d`, `::a.b.c.d` and `::0.0.0.n` (n ≠ 1) forms.

export const AF_INET = 2;
export const AF_INET6 = 10;

/** The dotted form of the four bytes at `at`. */
export function ipv4Text(b: Uint8Array, at: number): string {
  return `${b[at]!}.${b[at + 1]!}.${b[at + 2]!}.${b[at + 3]!}`;
}

/** The 16 bytes at `at`, as libuv's inet_ntop (and so Node) writes them. */
export function ipv6Text(b: Uint8Array, at: number): string {
  const words: number[] = [];
  for (let i = 0; i < 8; i++) words.push((b[at + 2 * i]! << 8) | b[at + 2 * i + 1]!);
  let best = { base: -1, len: 0 };
  let cur = { base: -1, len: 0 };
  for (let i = 0; i < 8; i++) {
    if (words[i] === 0) {
      if (cur.base === -1) cur = { base: i, len: 1 };
      else cur.len++;
    } else if (cur.base !== -1) {
      if (best.base === -1 || cur.len > best.len) best = cur;
      cur = { base: -1, len: 0 };
    }
  }
  if (cur.base !== -1 && (best.base === -1 || cur.len > best.len)) best = cur;
  if (best.base !== -1 && best.len < 2) best = { base: -1, len: 0 };
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (best.base !== -1 && i >= best.base && i < best.base + best.len) {
      if (i === best.base) out += ':';
      continue;
    }
    if (i !== 0) out += ':';
    if (i === 6 && best.base === 0 && (best.len === 6 || (best.len === 7 && words[7] !== 0x0001) || (best.len === 5 && words[5] === 0xffff))) {
      return out + ipv4Text(b, at + 12);
    }
    out += words[i]!.toString(16);
  }
  if (best.base !== -1 && best.base + best.len === 8) out += ':';
  return out;
}

/** fe80::/10: the addresses Node writes with their interface (`fe80::1%eth0`). */
export function isLinkLocal(b: Uint8Array, at: number): boolean {
  return b[at] === 0xfe && (b[at + 1]! & 0xc0) === 0x80;
}
