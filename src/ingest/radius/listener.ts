// The RADIUS accounting server (RFC 2866) on UDP: each datagram from an allowed sender with a
// shared secret is a request (radius/requests.ts), answered to the address and port it came from.

import dgram from 'node:dgram';
import dns from 'node:dns';
import { isIP, isIPv4 } from 'node:net';
import type { AllowList } from '../allow.js';
import { plainAddress } from '../allow.js';
import { readDatagrams, type DatagramCalls, type DatagramIo, type Peer, type SockaddrEntry } from '../datagram-io.js';
import type { SecretTable } from '../native/keys.js';
import { MAX_PACKET_BYTES } from './packet.js';
import { headerOf, RadiusRequests, TRANSPORT, type Requester, type RequestContext, type RequestOptions } from './requests.js';

export interface RadiusOptions extends RequestOptions {
  host: string;
  port: number;
  secrets: SecretTable;
  recvBufferBytes: number;
  /** recvmmsg/sendmmsg where the platform has them (datagram-io.ts); false: Node's own calls. */
  batchedCalls?: boolean;
}

export interface RadiusContext extends RequestContext {
  allow: AllowList;
}

export interface RadiusListener {
  address: string;
  port: number;
  /** How datagrams are read and answered: recvmmsg/sendmmsg, or Node's own calls (datagram-io.ts). */
  calls: DatagramCalls;
  /** The socket is still bound (for the health checks). */
  listening(): boolean;
  close(): Promise<void>;
}

export async function startRadius(opts: RadiusOptions, ctx: RadiusContext): Promise<RadiusListener> {
  const { pipeline, writer } = ctx;
  const requests = new RadiusRequests(opts, ctx);
  let socket: dgram.Socket;
  try {
    socket = await bind(isIPv4(opts.host) ? 'udp4' : 'udp6', opts);
  } catch (err) {
    if (opts.host !== '::' || (err as NodeJS.ErrnoException).code !== 'EAFNOSUPPORT') throw err;
    socket = await bind('udp4', { ...opts, host: '0.0.0.0' });
  }
  try {
    socket.setRecvBufferSize(opts.recvBufferBytes);
  } catch {
    // The kernel keeps its default; the UDP listener logs what syslog got.
  }

  // What is known of a sender address (the allow-list's answer, its secrets), looked up once: a
  // datagram then costs one Map lookup instead of two address normalisations, the allow-list's
  // CIDR walk and the secret table's own lookup. Bounded like the secret table's cache.
  const senders = new Map<string, Sender>();
  const senderOf = (address: string): Sender => {
    let s = senders.get(address);
    if (s) return s;
    const source = plainAddress(address);
    const allowed = ctx.allow(source);
    s = { source, allowed, secrets: allowed ? opts.secrets.secretsFor(source) : [] };
    if (senders.size >= SENDERS_MAX) senders.clear();
    senders.set(address, s);
    return s;
  };

  const datagram = (msg: Buffer, address: string, port: number, sockaddr: SockaddrEntry | undefined): void => {
    const at = Date.now();
    const { source, allowed, secrets } = senderOf(address);
    writer.count('received.radius');
    if (!allowed) {
      pipeline.reject('source-not-allowed', headerOf(msg), source, TRANSPORT);
      return;
    }
    if (secrets.length === 0) {
      pipeline.reject('radius-unknown-source', headerOf(msg), source, TRANSPORT);
      return;
    }
    // A datagram read in a batch lies in the reader's own memory until the next read: handed over
    // as it lies, since the request keeps no view of it (`RadiusRequests.handle`); a copy was a
    // Buffer a request for the collector.
    requests.handle(msg, new DatagramSender(io, source, port, address, sockaddr, secrets), at);
  };

  // A request is at most 4,096 bytes (RFC 2865 §3): a longer datagram's bytes past the Length are padding.
  const io: DatagramIo = readDatagrams(
    socket,
    (msg, address, port, sockaddr) => {
      try {
        datagram(msg, address, port, sockaddr);
      } catch (err) {
        writer.count('errors.radius');
        ctx.log.error({ err: err instanceof Error ? err.message : String(err) }, 'radius request failed');
      }
    },
    { slotBytes: MAX_PACKET_BYTES, slots: 64, batched: opts.batchedCalls, onSendError: () => writer.count('errors.radius-send') },
  );
  socket.on('error', (err) => ctx.log.error({ err: err.message, transport: TRANSPORT }, 'listener error'));
  const a = socket.address();
  let bound = true;
  socket.on('close', () => (bound = false));
  return {
    address: a.address,
    port: a.port,
    calls: io.calls,
    listening: () => bound,
    close: async () => {
      // Requests being stored are answered before the socket closes.
      const deadline = Date.now() + 5000;
      while (requests.pending > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      await new Promise<void>((resolve) => socket.close(() => resolve()));
    },
  };
}

/** Sender addresses whose allow-list answer and secrets are kept; beyond this the table is cleared. */
const SENDERS_MAX = 10_000;

interface Sender {
  source: string;
  allowed: boolean;
  secrets: readonly Buffer[];
}

/** A datagram's sender, answered at the address and port it came from (one object a datagram: no closure, no port string). */
class DatagramSender implements Requester, Peer {
  constructor(
    private readonly io: DatagramIo,
    readonly source: string,
    readonly port: number,
    readonly address: string,
    readonly sockaddr: SockaddrEntry | undefined,
    readonly secrets: readonly Buffer[],
  ) {}

  /** Two senders behind one address are told apart by their ports. */
  get peer(): number {
    return this.port;
  }

  reply(response: Buffer): void {
    this.io.send(response, this);
  }
}

/**
 * Every answer goes to the address its request came from, an IP literal: handed back at once.
 * Node's default lookup (dns.lookup) defers each send to the next tick: 11.3 against 9.9–10.9 µs
 * of CPU a datagram for a Node UDP server answering each one (100,000 datagrams, 50 in flight,
 * three runs each, shared machine). A name (the configured host, at bind) still goes to dns.lookup.
 */
const literalLookup: NonNullable<dgram.SocketOptions['lookup']> = (host, options, callback) => {
  const family = isIP(host);
  if (family !== 0) callback(null, host, family);
  else dns.lookup(host, options, callback);
};

function bind(type: 'udp4' | 'udp6', opts: Pick<RadiusOptions, 'host' | 'port'>): Promise<dgram.Socket> {
  return new Promise((resolve, reject) => {
    const s = dgram.createSocket({ type, ipv6Only: false, lookup: literalLookup });
    s.once('error', reject);
    s.bind(opts.port, opts.host, () => {
      s.off('error', reject);
      resolve(s);
    });
  });
}
