// Reading and answering UDP datagrams in batches. Node's dgram makes a receive, a Buffer, an
// address object and an event for each datagram, and a send request for each answer: 12.32 µs of
// CPU a datagram for an echo server answering each one, against 5.41 with recvmmsg(2) and
// sendmmsg(2) over the same socket, which answered 2.1x as many a second (bench:datagrams, 50 in
// flight, medians of four alternated rounds). Node has neither call, so they are made through
// koffi (a maintained FFI with prebuilt binaries, no compiler needed): libuv still tells when the
// socket is readable and reads the first datagram, and everything queued behind it is then read
// `slots` at a time; the answers given in one turn of the event loop go out in one call.
//
// Linux on a 64-bit little-endian machine only (the kernel's struct mmsghdr laid out below);
// elsewhere, or if koffi cannot load, or if the socket's descriptor cannot be found, Node's own
// calls are used, and `calls` says which.

import type dgram from 'node:dgram';
import { createRequire } from 'node:module';
import { endianness } from 'node:os';
import { AF_INET, AF_INET6, ipv4Text, ipv6Text, isLinkLocal } from './address-text.js';

export type DatagramCalls = 'recvmmsg' | 'dgram';

/**
 * Where an answer goes: the sender's address as Node writes it and its port, and when the request
 * was read in a batch the kernel's own form of the address, so that the answer needs no parsing.
 */
export interface Peer {
  readonly address: string;
  readonly port: number;
  readonly sockaddr?: SockaddrEntry;
}

/** One sender address: its text, and its struct sockaddr as received (the port is written per answer). */
export interface SockaddrEntry {
  readonly text: string;
  readonly bytes: Uint8Array;
}

/**
 * A datagram as read: its bytes (valid only during the call: copy what is kept), the sender's
 * address and port, and the sender's entry when read in a batch (for `send`).
 */
export type DatagramHandler = (bytes: Buffer, address: string, port: number, sockaddr: SockaddrEntry | undefined) => void;

export interface DatagramIo {
  readonly calls: DatagramCalls;
  /** An answer: sent at once by Node, or with the others given in this turn by sendmmsg. */
  send(bytes: Buffer, to: Peer): void;
}

export interface DatagramIoOptions {
  /**
   * The longest datagram read whole: of a longer one the handler gets this many bytes, whichever
   * calls read it (as a receive buffer of this size reads it), so a caller that cuts at N passes
   * N + 1 to see it was longer.
   */
  slotBytes: number;
  /** Datagrams read in one call. */
  slots: number;
  /** `false`: Node's own calls whatever the platform offers (configuration, or a test of the fallback). */
  batched?: boolean;
  /** A send that failed (the kernel's errno): counted by the caller. */
  onSendError?: (errno: number) => void;
}

const MSG_DONTWAIT = 0x40;
const EAGAIN = 11;
const EINTR = 4;
const MMSGHDR = 64;
const IOVEC = 16;
/** Room for a struct sockaddr_in6 (28 bytes), kept 8-aligned. */
const NAME = 32;
/** Sender addresses whose text is kept; past this the table is cleared (a spoofed flood makes each datagram new). */
const BOOK_MAX = 10_000;

interface Libc {
  recvmmsg: (fd: number, vec: bigint, vlen: number, flags: number, timeout: null) => number;
  sendmmsg: (fd: number, vec: bigint, vlen: number, flags: number) => number;
  ifIndexToName: (index: number, out: Buffer) => unknown;
  alloc: (bytes: number) => { address: bigint; view: ArrayBuffer };
  errno: () => number;
}

let libc: Libc | null | undefined;

/** koffi and the calls, loaded once; null where they cannot be had. */
function loadLibc(): Libc | null {
  if (libc !== undefined) return libc;
  libc = null;
  if (process.platform !== 'linux' || endianness() !== 'LE') return libc;
  try {
    const koffi = createRequire(import.meta.url)('koffi') as typeof import('koffi');
    if (koffi.sizeof('void *') !== 8) return libc;
    // The process's own symbols: glibc's or musl's, whichever Node was linked with.
    const self = koffi.load(null as unknown as string);
    libc = {
      recvmmsg: self.func('int recvmmsg(int, void *, unsigned int, int, void *)'),
      sendmmsg: self.func('int sendmmsg(int, void *, unsigned int, int)'),
      ifIndexToName: self.func('void *if_indextoname(unsigned int, _Out_ uint8_t *)'),
      alloc: (bytes) => {
        const address = koffi.alloc('uint8_t', bytes) as unknown as bigint;
        const view = koffi.view(address as never, bytes);
        new Uint8Array(view).fill(0);
        return { address, view };
      },
      errno: () => koffi.errno(),
    };
  } catch {
    libc = null;
  }
  return libc;
}

/** What dgram keeps of a socket's state: its handle, null once the socket is closed. */
interface SocketState {
  handle: { fd?: unknown } | null;
}

/**
 * The socket's state, where its file descriptor is. dgram keeps it under a symbol of its own (the
 * `_handle` property that once showed the handle is deprecated, with a warning on use); undefined
 * if not found.
 */
function stateOf(socket: dgram.Socket): SocketState | undefined {
  for (const s of Object.getOwnPropertySymbols(socket)) {
    const state = (socket as unknown as Record<symbol, SocketState | undefined>)[s];
    if (state && typeof state === 'object' && typeof state.handle?.fd === 'number') return state;
  }
  return undefined;
}

/**
 * The descriptor now, or undefined once the socket is closed: close() drops the handle at once,
 * and the number may then be another file's, so every call asks again (a read of two fields).
 */
function descriptor(state: SocketState): number | undefined {
  const fd = state.handle?.fd;
  return typeof fd === 'number' && fd >= 0 ? fd : undefined;
}

/**
 * A vector of `slots` struct mmsghdr, each with one iovec over its own `slotBytes` of data and room
 * for an address, in memory koffi allocated (it never moves, so the kernel can be handed its address).
 */
class MessageVector {
  readonly address: bigint;
  readonly header: DataView;
  readonly names: Uint8Array;
  readonly data: Buffer;
  private readonly namesAt: number;
  private readonly iovAt: number;

  constructor(c: Libc, readonly slots: number, readonly slotBytes: number) {
    this.iovAt = slots * MMSGHDR;
    this.namesAt = this.iovAt + slots * IOVEC;
    const dataAt = this.namesAt + slots * NAME;
    const { address, view } = c.alloc(dataAt + slots * slotBytes);
    this.address = address;
    this.header = new DataView(view, 0, dataAt);
    this.names = new Uint8Array(view, this.namesAt, slots * NAME);
    this.data = Buffer.from(view, dataAt, slots * slotBytes);
    for (let i = 0; i < slots; i++) {
      const h = i * MMSGHDR;
      this.header.setBigUint64(h, address + BigInt(this.namesAt + i * NAME), true); // msg_name
      this.header.setUint32(h + 8, NAME, true); // msg_namelen
      this.header.setBigUint64(h + 16, address + BigInt(this.iovAt + i * IOVEC), true); // msg_iov
      this.header.setBigUint64(h + 24, 1n, true); // msg_iovlen
      this.header.setBigUint64(this.iovAt + i * IOVEC, address + BigInt(dataAt + i * slotBytes), true); // iov_base
      this.header.setBigUint64(this.iovAt + i * IOVEC + 8, BigInt(slotBytes), true); // iov_len
    }
  }

  /** The kernel writes each address's true length: each slot gets the whole room back. */
  resetNames(count: number): void {
    for (let i = 0; i < count; i++) this.header.setUint32(i * MMSGHDR + 8, NAME, true);
  }

  /** Bytes the kernel put in slot i (msg_len). */
  length(i: number): number {
    return this.header.getUint32(i * MMSGHDR + 56, true);
  }

  nameLength(i: number): number {
    return this.header.getUint32(i * MMSGHDR + 8, true);
  }

  setName(i: number, bytes: Uint8Array, port: number): void {
    const at = i * NAME;
    this.names.set(bytes, at);
    this.names[at + 2] = port >> 8;
    this.names[at + 3] = port & 0xff;
    this.header.setUint32(i * MMSGHDR + 8, bytes.length, true);
  }

  /** iov_len's low half: no slot is 4 GiB, so its high half stays the zero the constructor wrote. */
  setLength(i: number, n: number): void {
    this.header.setUint32(this.iovAt + i * IOVEC + 8, n, true);
  }
}

/**
 * The texts of sender addresses read in batches, found by their bytes: an IPv4 sender (or an
 * IPv4-mapped one on a dual-stack socket) by a number, any other by a string of its bytes.
 */
class AddressBook {
  private readonly v4 = new Map<number, SockaddrEntry>();
  private readonly v6 = new Map<string, SockaddrEntry>();
  /**
   * The same entries by their text, for a datagram libuv read (a burst's first, whose sender Node
   * gives as text only): its answer then goes by sendmmsg with the rest, not by Node's send, which
   * cost as much for the quarter of bench:aaa's answers it carried as sendmmsg for the other three.
   */
  private readonly texts = new Map<string, SockaddrEntry>();

  byText(text: string): SockaddrEntry | undefined {
    return this.texts.get(text);
  }

  private keep(e: SockaddrEntry): void {
    if (this.texts.size >= BOOK_MAX) this.texts.clear();
    this.texts.set(e.text, e);
  }

  constructor(private readonly c: Libc) {}

  of(names: Uint8Array, at: number, length: number): SockaddrEntry | undefined {
    const family = names[at]! | (names[at + 1]! << 8);
    if (family === AF_INET && length >= 16) return this.ipv4(names, at, at + 4, length, '');
    if (family !== AF_INET6 || length < 28) return undefined;
    const a = at + 8;
    if (names[a + 10] === 0xff && names[a + 11] === 0xff && isZero(names, a, 10)) return this.ipv4(names, at, a + 12, length, '::ffff:');
    const key = String.fromCharCode(...names.subarray(a, a + 16)) + String.fromCharCode(...names.subarray(at + 24, at + 28));
    let e = this.v6.get(key);
    if (!e) {
      e = { text: this.ipv6(names, at), bytes: names.slice(at, at + length) };
      if (this.v6.size >= BOOK_MAX) this.v6.clear();
      this.v6.set(key, e);
      this.keep(e);
    }
    return e;
  }

  private ipv4(names: Uint8Array, at: number, a: number, length: number, prefix: string): SockaddrEntry {
    const key = ((names[a]! << 24) | (names[a + 1]! << 16) | (names[a + 2]! << 8) | names[a + 3]!) >>> 0;
    let e = this.v4.get(key);
    if (!e) {
      e = { text: prefix + ipv4Text(names, a), bytes: names.slice(at, at + length) };
      if (this.v4.size >= BOOK_MAX) this.v4.clear();
      this.v4.set(key, e);
      this.keep(e);
    }
    return e;
  }

  /** As Node: a link-local address with a scope gets its interface's name (`fe80::1%eth0`). */
  private ipv6(names: Uint8Array, at: number): string {
    const text = ipv6Text(names, at + 8);
    const scope = new DataView(names.buffer, names.byteOffset + at + 24, 4).getUint32(0, true);
    if (scope === 0 || !isLinkLocal(names, at + 8)) return text;
    const out = Buffer.alloc(16);
    const named = this.c.ifIndexToName(scope, out);
    const name = out.subarray(0, out.indexOf(0) < 0 ? 16 : out.indexOf(0)).toString('latin1');
    return `${text}%${named && name ? name : scope}`;
  }
}

const isZero = (b: Uint8Array, at: number, n: number): boolean => {
  for (let i = 0; i < n; i++) if (b[at + i] !== 0) return false;
  return true;
};

/**
 * Reads every datagram `socket` receives into `handler`, in arrival order, and gives the answers
 * a way out. The socket must be bound; its 'message' event is taken here.
 */
export function readDatagrams(socket: dgram.Socket, handler: DatagramHandler, opts: DatagramIoOptions): DatagramIo {
  const c = opts.batched === false ? null : loadLibc();
  const state = c ? stateOf(socket) : undefined;
  const cut = (msg: Buffer): Buffer => (msg.length > opts.slotBytes ? msg.subarray(0, opts.slotBytes) : msg);
  if (!c || !state || descriptor(state) === undefined) {
    socket.on('message', (msg, rinfo) => handler(cut(msg), rinfo.address, rinfo.port, undefined));
    return { calls: 'dgram', send: (bytes, to) => socket.send(bytes, to.port, to.address) };
  }
  const rx = new MessageVector(c, opts.slots, opts.slotBytes);
  const book = new AddressBook(c);
  let used = rx.slots;

  const drain = (): void => {
    for (;;) {
      const fd = descriptor(state);
      if (fd === undefined) return;
      rx.resetNames(used);
      const got = c.recvmmsg(fd, rx.address, rx.slots, MSG_DONTWAIT, null);
      if (got <= 0) {
        used = 0;
        // EAGAIN: nothing more queued; anything else (the socket closing) ends this read as well.
        if (got < 0 && c.errno() === EINTR) continue;
        return;
      }
      used = got;
      for (let i = 0; i < got; i++) {
        const at = i * NAME;
        const entry = book.of(rx.names, at, rx.nameLength(i));
        // A UDP socket's senders are IPv4 or IPv6; nothing else reaches one.
        if (!entry) continue;
        const port = (rx.names[at + 2]! << 8) | rx.names[at + 3]!;
        const start = i * rx.slotBytes;
        handler(rx.data.subarray(start, start + Math.min(rx.length(i), rx.slotBytes)), entry.text, port, entry);
      }
      if (got < rx.slots) return;
    }
  };
  socket.on('message', (msg, rinfo) => {
    handler(cut(msg), rinfo.address, rinfo.port, book.byText(rinfo.address));
    drain();
  });

  // Answers wait here until the end of the turn (a microtask), or until the vector is full.
  const tx = new MessageVector(c, Math.min(opts.slots, 64), Math.min(opts.slotBytes, 4096));
  const waiting: Array<{ bytes: Buffer; to: Peer }> = [];
  const flush = (): void => {
    let from = 0;
    while (from < waiting.length) {
      const fd = descriptor(state);
      // Closed since these were given: they are lost, as Node's send after a close would throw them away.
      if (fd === undefined) break;
      const sent = c.sendmmsg(fd, tx.address + BigInt(from * MMSGHDR), waiting.length - from, MSG_DONTWAIT);
      if (sent > 0) {
        from += sent;
        continue;
      }
      const errno = c.errno();
      if (errno === EINTR) continue;
      if (errno === EAGAIN) {
        // The send buffer is full: Node's send queues the rest and sends them once it has room.
        for (const w of waiting.slice(from)) socket.send(w.bytes, w.to.port, w.to.address);
        break;
      }
      // That message cannot go (as a UDP send that fails); the rest still do.
      opts.onSendError?.(errno);
      from++;
    }
    waiting.length = 0;
  };
  return {
    calls: 'recvmmsg',
    send: (bytes, to) => {
      if (!to.sockaddr || bytes.length > tx.slotBytes) {
        socket.send(bytes, to.port, to.address);
        return;
      }
      if (waiting.length === tx.slots) flush();
      if (waiting.length === 0) queueMicrotask(flush);
      const i = waiting.length;
      tx.setName(i, to.sockaddr.bytes, to.port);
      bytes.copy(tx.data, i * tx.slotBytes);
      tx.setLength(i, bytes.length);
      waiting.push({ bytes, to });
    },
  };
}
