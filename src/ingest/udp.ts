// UDP syslog (RFC 5426): one message per datagram. The receive buffer is what stands between a
// burst and kernel drops, so it is requested large and the granted size is reported.

import { isAscii } from 'node:buffer';
import dgram from 'node:dgram';
import type { Logger } from 'pino';
import { cutAtCharacter, deliver } from './framing.js';
import type { AllowList } from './allow.js';
import { plainAddress } from './allow.js';
import type { Pipeline } from './pipeline.js';

export interface UdpOptions {
  host: string;
  port: number;
  recvBufferBytes: number;
  maxMessageBytes: number;
}

export interface UdpListener {
  address: string;
  port: number;
  /** The usable receive buffer the kernel granted (see grantedRecvBuffer). */
  recvBufferBytes: number;
  /** Still bound (a socket that closed receives nothing). */
  listening(): boolean;
  close(): Promise<void>;
}

/**
 * The usable receive buffer, from what getsockopt(SO_RCVBUF) reports: Linux grants at most
 * net.core.rmem_max and reports double what it granted (the other half is its bookkeeping, see
 * socket(7)); other systems report the size itself.
 */
export function grantedRecvBuffer(reported: number, platform: NodeJS.Platform = process.platform): number {
  return platform === 'linux' ? Math.floor(reported / 2) : reported;
}

function bind(socket: dgram.Socket, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    socket.once('error', onError);
    socket.bind(port, host, () => {
      socket.off('error', onError);
      resolve();
    });
  });
}

export async function startUdp(opts: UdpOptions, pipeline: Pipeline, allow: AllowList, log: Logger): Promise<UdpListener> {
  const v6 = opts.host.includes(':');
  let socket = dgram.createSocket({ type: v6 ? 'udp6' : 'udp4', ipv6Only: false, reuseAddr: false });
  try {
    await bind(socket, opts.host, opts.port);
  } catch (err) {
    // A host without IPv6 cannot bind `::`; IPv4 on every address is what the user meant.
    if (!(v6 && opts.host === '::' && (err as NodeJS.ErrnoException).code === 'EAFNOSUPPORT')) throw err;
    socket = dgram.createSocket({ type: 'udp4' });
    await bind(socket, '0.0.0.0', opts.port);
  }
  socket.setRecvBufferSize(opts.recvBufferBytes);
  const granted = grantedRecvBuffer(socket.getRecvBufferSize());
  if (granted < opts.recvBufferBytes) {
    log.warn(
      { requested: opts.recvBufferBytes, granted },
      `UDP receive buffer capped by the kernel at ${granted} bytes; raise it with ` +
        `sysctl -w net.core.rmem_max=${opts.recvBufferBytes} (and in /etc/sysctl.d/ to keep it)`,
    );
  }
  let from = '';
  const sink = {
    frame: (text: string, latin1: boolean, truncated: boolean): void =>
      pipeline.message(text, latin1, from, 'udp', Date.now(), truncated ? 'oversize-datagram' : undefined),
  };
  socket.on('message', (buf, rinfo) => {
    const source = plainAddress(rinfo.address);
    if (!allow(source)) {
      pipeline.reject('source-not-allowed', buf.subarray(0, 256), source, 'udp');
      return;
    }
    from = source;
    // A datagram over the limit is kept up to it, flagged truncated, as rsyslog and syslog-ng keep it.
    if (buf.length > opts.maxMessageBytes) deliver(buf, 0, cutAtCharacter(buf, 0, opts.maxMessageBytes), sink, isAscii(buf), true);
    else deliver(buf, 0, buf.length, sink, isAscii(buf));
  });
  socket.on('error', (err) => log.error({ err: err.message }, 'UDP socket error'));
  let bound = true;
  socket.on('close', () => (bound = false));
  const a = socket.address();
  return {
    address: a.address,
    port: a.port,
    recvBufferBytes: granted,
    listening: () => bound,
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}
