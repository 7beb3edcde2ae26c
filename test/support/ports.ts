// A loopback port free for both TCP and UDP at the moment of asking, for tests that start a
// separate process (serve, sshd) which must be told its port. The kernel picks it from the
// ephemeral range, so it cannot collide with another test's fixed choice.

import { createSocket } from 'node:dgram';
import { createServer, type AddressInfo } from 'node:net';

export async function freePort(): Promise<number> {
  for (;;) {
    const tcp = createServer().listen(0, '127.0.0.1');
    await new Promise((r) => tcp.once('listening', r));
    const port = (tcp.address() as AddressInfo).port;
    const udp = createSocket('udp4');
    const udpFree = await new Promise<boolean>((resolve) => {
      udp.once('error', () => resolve(false));
      udp.bind(port, '127.0.0.1', () => resolve(true));
    });
    await new Promise<void>((r) => udp.close(() => r()));
    await new Promise((r) => tcp.close(r));
    if (udpFree) return port;
  }
}
