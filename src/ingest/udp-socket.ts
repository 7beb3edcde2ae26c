// Binding the UDP syslog socket and asking for its receive buffer (RFC 5426: one message per
// datagram). The receive buffer is what stands between a burst and kernel drops, so it is requested
// large and the granted size is reported.

import dgram from 'node:dgram';

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

/** A bound socket and the receive buffer the kernel granted it. */
export async function bindUdp(host: string, port: number, recvBufferBytes: number): Promise<{ socket: dgram.Socket; granted: number }> {
  const v6 = host.includes(':');
  let socket = dgram.createSocket({ type: v6 ? 'udp6' : 'udp4', ipv6Only: false, reuseAddr: false });
  try {
    await bind(socket, host, port);
  } catch (err) {
    // A host without IPv6 cannot bind `::`; IPv4 on every address is what the user meant.
    if (!(v6 && host === '::' && (err as NodeJS.ErrnoException).code === 'EAFNOSUPPORT')) throw err;
    socket = dgram.createSocket({ type: 'udp4' });
    await bind(socket, '0.0.0.0', port);
  }
  socket.setRecvBufferSize(recvBufferBytes);
  return { socket, granted: grantedRecvBuffer(socket.getRecvBufferSize()) };
}
