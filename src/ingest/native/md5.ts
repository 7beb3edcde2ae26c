// MD5 (RFC 1321) for the native receivers' per-packet digests: RADIUS's Request and Response
// Authenticators (RFC 2866 §3) and TACACS+'s pseudo-pad (RFC 8907 §4.5), which the protocols
// require. Written here rather than called from node:crypto because each digest is one to three
// 64-byte blocks, for which the call cost more than the digest: laying the input out in a scratch
// Buffer (copies, fills, a view made for each call), the binding's own checks and a string or
// Buffer for its result. This reads the packet's bytes where they are (the octets the digest
// takes as zeros read as zeros) and leaves the digest in four words, compared or written in place.
// Checked against node:crypto's MD5 over random inputs (test/ingest/native-md5.test.ts).
// One thread uses this module's scratch at a time (each worker has its own copy).

/** The digest of the last call: four little-endian words (RFC 1321 §3.5). */
const H = new Int32Array(4);
/** One block's sixteen words. */
const W = new Int32Array(16);
/** The last blocks, where the input's tail, the padding and the length are laid out. */
let tail = new Uint8Array(256);

function compress(): void {
  let a = H[0]!;
  let b = H[1]!;
  let c = H[2]!;
  let d = H[3]!;
  const x0 = W[0]!, x1 = W[1]!, x2 = W[2]!, x3 = W[3]!, x4 = W[4]!, x5 = W[5]!, x6 = W[6]!, x7 = W[7]!;
  const x8 = W[8]!, x9 = W[9]!, x10 = W[10]!, x11 = W[11]!, x12 = W[12]!, x13 = W[13]!, x14 = W[14]!, x15 = W[15]!;
  let t: number;
  t = (a + ((b & c) | (~b & d)) + -680876936 + x0) | 0;
  a = (b + ((t << 7) | (t >>> 25))) | 0;
  t = (d + ((a & b) | (~a & c)) + -389564586 + x1) | 0;
  d = (a + ((t << 12) | (t >>> 20))) | 0;
  t = (c + ((d & a) | (~d & b)) + 606105819 + x2) | 0;
  c = (d + ((t << 17) | (t >>> 15))) | 0;
  t = (b + ((c & d) | (~c & a)) + -1044525330 + x3) | 0;
  b = (c + ((t << 22) | (t >>> 10))) | 0;
  t = (a + ((b & c) | (~b & d)) + -176418897 + x4) | 0;
  a = (b + ((t << 7) | (t >>> 25))) | 0;
  t = (d + ((a & b) | (~a & c)) + 1200080426 + x5) | 0;
  d = (a + ((t << 12) | (t >>> 20))) | 0;
  t = (c + ((d & a) | (~d & b)) + -1473231341 + x6) | 0;
  c = (d + ((t << 17) | (t >>> 15))) | 0;
  t = (b + ((c & d) | (~c & a)) + -45705983 + x7) | 0;
  b = (c + ((t << 22) | (t >>> 10))) | 0;
  t = (a + ((b & c) | (~b & d)) + 1770035416 + x8) | 0;
  a = (b + ((t << 7) | (t >>> 25))) | 0;
  t = (d + ((a & b) | (~a & c)) + -1958414417 + x9) | 0;
  d = (a + ((t << 12) | (t >>> 20))) | 0;
  t = (c + ((d & a) | (~d & b)) + -42063 + x10) | 0;
  c = (d + ((t << 17) | (t >>> 15))) | 0;
  t = (b + ((c & d) | (~c & a)) + -1990404162 + x11) | 0;
  b = (c + ((t << 22) | (t >>> 10))) | 0;
  t = (a + ((b & c) | (~b & d)) + 1804603682 + x12) | 0;
  a = (b + ((t << 7) | (t >>> 25))) | 0;
  t = (d + ((a & b) | (~a & c)) + -40341101 + x13) | 0;
  d = (a + ((t << 12) | (t >>> 20))) | 0;
  t = (c + ((d & a) | (~d & b)) + -1502002290 + x14) | 0;
  c = (d + ((t << 17) | (t >>> 15))) | 0;
  t = (b + ((c & d) | (~c & a)) + 1236535329 + x15) | 0;
  b = (c + ((t << 22) | (t >>> 10))) | 0;
  t = (a + ((b & d) | (c & ~d)) + -165796510 + x1) | 0;
  a = (b + ((t << 5) | (t >>> 27))) | 0;
  t = (d + ((a & c) | (b & ~c)) + -1069501632 + x6) | 0;
  d = (a + ((t << 9) | (t >>> 23))) | 0;
  t = (c + ((d & b) | (a & ~b)) + 643717713 + x11) | 0;
  c = (d + ((t << 14) | (t >>> 18))) | 0;
  t = (b + ((c & a) | (d & ~a)) + -373897302 + x0) | 0;
  b = (c + ((t << 20) | (t >>> 12))) | 0;
  t = (a + ((b & d) | (c & ~d)) + -701558691 + x5) | 0;
  a = (b + ((t << 5) | (t >>> 27))) | 0;
  t = (d + ((a & c) | (b & ~c)) + 38016083 + x10) | 0;
  d = (a + ((t << 9) | (t >>> 23))) | 0;
  t = (c + ((d & b) | (a & ~b)) + -660478335 + x15) | 0;
  c = (d + ((t << 14) | (t >>> 18))) | 0;
  t = (b + ((c & a) | (d & ~a)) + -405537848 + x4) | 0;
  b = (c + ((t << 20) | (t >>> 12))) | 0;
  t = (a + ((b & d) | (c & ~d)) + 568446438 + x9) | 0;
  a = (b + ((t << 5) | (t >>> 27))) | 0;
  t = (d + ((a & c) | (b & ~c)) + -1019803690 + x14) | 0;
  d = (a + ((t << 9) | (t >>> 23))) | 0;
  t = (c + ((d & b) | (a & ~b)) + -187363961 + x3) | 0;
  c = (d + ((t << 14) | (t >>> 18))) | 0;
  t = (b + ((c & a) | (d & ~a)) + 1163531501 + x8) | 0;
  b = (c + ((t << 20) | (t >>> 12))) | 0;
  t = (a + ((b & d) | (c & ~d)) + -1444681467 + x13) | 0;
  a = (b + ((t << 5) | (t >>> 27))) | 0;
  t = (d + ((a & c) | (b & ~c)) + -51403784 + x2) | 0;
  d = (a + ((t << 9) | (t >>> 23))) | 0;
  t = (c + ((d & b) | (a & ~b)) + 1735328473 + x7) | 0;
  c = (d + ((t << 14) | (t >>> 18))) | 0;
  t = (b + ((c & a) | (d & ~a)) + -1926607734 + x12) | 0;
  b = (c + ((t << 20) | (t >>> 12))) | 0;
  t = (a + (b ^ c ^ d) + -378558 + x5) | 0;
  a = (b + ((t << 4) | (t >>> 28))) | 0;
  t = (d + (a ^ b ^ c) + -2022574463 + x8) | 0;
  d = (a + ((t << 11) | (t >>> 21))) | 0;
  t = (c + (d ^ a ^ b) + 1839030562 + x11) | 0;
  c = (d + ((t << 16) | (t >>> 16))) | 0;
  t = (b + (c ^ d ^ a) + -35309556 + x14) | 0;
  b = (c + ((t << 23) | (t >>> 9))) | 0;
  t = (a + (b ^ c ^ d) + -1530992060 + x1) | 0;
  a = (b + ((t << 4) | (t >>> 28))) | 0;
  t = (d + (a ^ b ^ c) + 1272893353 + x4) | 0;
  d = (a + ((t << 11) | (t >>> 21))) | 0;
  t = (c + (d ^ a ^ b) + -155497632 + x7) | 0;
  c = (d + ((t << 16) | (t >>> 16))) | 0;
  t = (b + (c ^ d ^ a) + -1094730640 + x10) | 0;
  b = (c + ((t << 23) | (t >>> 9))) | 0;
  t = (a + (b ^ c ^ d) + 681279174 + x13) | 0;
  a = (b + ((t << 4) | (t >>> 28))) | 0;
  t = (d + (a ^ b ^ c) + -358537222 + x0) | 0;
  d = (a + ((t << 11) | (t >>> 21))) | 0;
  t = (c + (d ^ a ^ b) + -722521979 + x3) | 0;
  c = (d + ((t << 16) | (t >>> 16))) | 0;
  t = (b + (c ^ d ^ a) + 76029189 + x6) | 0;
  b = (c + ((t << 23) | (t >>> 9))) | 0;
  t = (a + (b ^ c ^ d) + -640364487 + x9) | 0;
  a = (b + ((t << 4) | (t >>> 28))) | 0;
  t = (d + (a ^ b ^ c) + -421815835 + x12) | 0;
  d = (a + ((t << 11) | (t >>> 21))) | 0;
  t = (c + (d ^ a ^ b) + 530742520 + x15) | 0;
  c = (d + ((t << 16) | (t >>> 16))) | 0;
  t = (b + (c ^ d ^ a) + -995338651 + x2) | 0;
  b = (c + ((t << 23) | (t >>> 9))) | 0;
  t = (a + (c ^ (b | ~d)) + -198630844 + x0) | 0;
  a = (b + ((t << 6) | (t >>> 26))) | 0;
  t = (d + (b ^ (a | ~c)) + 1126891415 + x7) | 0;
  d = (a + ((t << 10) | (t >>> 22))) | 0;
  t = (c + (a ^ (d | ~b)) + -1416354905 + x14) | 0;
  c = (d + ((t << 15) | (t >>> 17))) | 0;
  t = (b + (d ^ (c | ~a)) + -57434055 + x5) | 0;
  b = (c + ((t << 21) | (t >>> 11))) | 0;
  t = (a + (c ^ (b | ~d)) + 1700485571 + x12) | 0;
  a = (b + ((t << 6) | (t >>> 26))) | 0;
  t = (d + (b ^ (a | ~c)) + -1894986606 + x3) | 0;
  d = (a + ((t << 10) | (t >>> 22))) | 0;
  t = (c + (a ^ (d | ~b)) + -1051523 + x10) | 0;
  c = (d + ((t << 15) | (t >>> 17))) | 0;
  t = (b + (d ^ (c | ~a)) + -2054922799 + x1) | 0;
  b = (c + ((t << 21) | (t >>> 11))) | 0;
  t = (a + (c ^ (b | ~d)) + 1873313359 + x8) | 0;
  a = (b + ((t << 6) | (t >>> 26))) | 0;
  t = (d + (b ^ (a | ~c)) + -30611744 + x15) | 0;
  d = (a + ((t << 10) | (t >>> 22))) | 0;
  t = (c + (a ^ (d | ~b)) + -1560198380 + x6) | 0;
  c = (d + ((t << 15) | (t >>> 17))) | 0;
  t = (b + (d ^ (c | ~a)) + 1309151649 + x13) | 0;
  b = (c + ((t << 21) | (t >>> 11))) | 0;
  t = (a + (c ^ (b | ~d)) + -145523070 + x4) | 0;
  a = (b + ((t << 6) | (t >>> 26))) | 0;
  t = (d + (b ^ (a | ~c)) + -1120210379 + x11) | 0;
  d = (a + ((t << 10) | (t >>> 22))) | 0;
  t = (c + (a ^ (d | ~b)) + 718787259 + x2) | 0;
  c = (d + ((t << 15) | (t >>> 17))) | 0;
  t = (b + (d ^ (c | ~a)) + -343485551 + x9) | 0;
  b = (c + ((t << 21) | (t >>> 11))) | 0;
  H[0] = (H[0]! + a) | 0;
  H[1] = (H[1]! + b) | 0;
  H[2] = (H[2]! + c) | 0;
  H[3] = (H[3]! + d) | 0;
}

/** The block of `u` from `at` into W, little-endian words. */
function load(u: Uint8Array, at: number): void {
  for (let j = 0; j < 16; j++, at += 4) W[j] = u[at]! | (u[at + 1]! << 8) | (u[at + 2]! << 16) | (u[at + 3]! << 24);
}

/**
 * MD5 of `first[0, firstLength)`, with its octets `[zeroFrom, zeroTo)` read as zeros (whole words:
 * both multiples of 4), followed by `second`. The digest is left for `digestEquals`/`writeDigest`.
 */
export function md5(first: Uint8Array, firstLength: number, second: Uint8Array, zeroFrom = 0, zeroTo = 0): void {
  H[0] = 0x67452301;
  H[1] = 0xefcdab89 | 0;
  H[2] = 0x98badcfe | 0;
  H[3] = 0x10325476;
  const whole = firstLength >> 6;
  for (let i = 0; i < whole; i++) {
    const at = i << 6;
    load(first, at);
    if (zeroTo > at && zeroFrom < at + 64) {
      for (let k = Math.max(zeroFrom, at); k < Math.min(zeroTo, at + 64); k += 4) W[(k - at) >> 2] = 0;
    }
    compress();
  }
  // The rest of `first`, then `second`, 0x80, zeros and the length in bits (64-bit little-endian).
  const from = whole << 6;
  const rest = firstLength - from;
  const total = firstLength + second.length;
  const size = (rest + second.length + 9 + 63) & ~63;
  if (tail.length < size) tail = new Uint8Array(size * 2);
  const t = tail;
  let n = 0;
  for (let k = from; k < firstLength; k++) t[n++] = k >= zeroFrom && k < zeroTo ? 0 : first[k]!;
  for (let k = 0; k < second.length; k++) t[n++] = second[k]!;
  t[n++] = 0x80;
  while (n < size - 8) t[n++] = 0;
  const bits = total * 8;
  const low = bits >>> 0;
  const high = Math.floor(bits / 0x100000000);
  t[n++] = low & 0xff;
  t[n++] = (low >>> 8) & 0xff;
  t[n++] = (low >>> 16) & 0xff;
  t[n++] = low >>> 24;
  t[n++] = high & 0xff;
  t[n++] = (high >>> 8) & 0xff;
  t[n++] = (high >>> 16) & 0xff;
  t[n++] = high >>> 24;
  for (let at = 0; at < size; at += 64) {
    load(t, at);
    compress();
  }
}

/** Octet `i` (0–15) of the last digest. */
const octet = (i: number): number => (H[i >> 2]! >>> ((i & 3) << 3)) & 0xff;

/** Whether the last digest equals the 16 octets of `b` from `at`, looking at every octet whatever differs (as timingSafeEqual does). */
export function digestEquals(b: Uint8Array, at: number): boolean {
  let diff = 0;
  for (let i = 0; i < 16; i++) diff |= octet(i) ^ b[at + i]!;
  return diff === 0;
}

/** The last digest written into `b` from `at`. */
export function writeDigest(b: Uint8Array, at: number): void {
  for (let i = 0; i < 16; i++) b[at + i] = octet(i);
}
