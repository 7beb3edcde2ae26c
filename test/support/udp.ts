// Datagrams to a listener on loopback, in order, from one socket.

import dgram from 'node:dgram';

export interface SendOptions {
  /** Pause between datagrams: a burst of hundreds can overflow a socket buffer on a busy machine. */
  gapMs?: number;
  /** The loopback address to send from (127.0.0.2: a sender outside `ingest.allow`). */
  from?: string;
}

/** Sends each datagram after the last was handed to the kernel; strings as UTF-8. */
export function sendDatagrams(port: number, datagrams: readonly (Buffer | string)[], o: SendOptions = {}): Promise<void> {
  const socket = dgram.createSocket('udp4');
  return new Promise((resolve, reject) => {
    socket.on('error', reject);
    let i = 0;
    const next = (): void => {
      if (i >= datagrams.length) {
        socket.close();
        resolve();
        return;
      }
      socket.send(datagrams[i++]!, port, '127.0.0.1', (err) => (err ? reject(err) : o.gapMs ? setTimeout(next, o.gapMs) : next()));
    };
    if (o.from) socket.bind(0, o.from, next);
    else next();
  });
}

/**
 * A UDP port on 127.0.0.1 held by a socket of the test's own, for a listener that must fail to
 * bind it; the socket's close is pushed onto `cleanups`.
 */
export async function heldUdpPort(cleanups: Array<() => void | Promise<void>>): Promise<number> {
  const holder = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => holder.bind(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => holder.close(() => resolve())));
  return holder.address().port;
}
