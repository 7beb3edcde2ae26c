// A cold Node receiver loses its first burst while the JIT compiles the hot path. Before the
// sockets are bound, run the parser and every platform over lines of the kinds devices send.

import type { Reader } from './reader.js';

// Written for this purpose from the formats in test/ingest/header.test.ts; not device output.
const SAMPLES = [
  '<189>2406: *Nov 21 22:10:01.123 UTC: %PARSER-5-CFGLOG_LOGGEDCMD: User:admin  logged command:interface Gi1/0/1',
  '<189>81: r1: .Nov 21 2026 22:10:01.123 CET: %SYS-5-CONFIG_I: Configured from console by admin on vty0 (10.1.1.5)',
  '<187>2407: Nov 21 22:10:02.001 UTC: %LINK-3-UPDOWN: Interface GigabitEthernet1/0/2, changed state to up',
  '<166>Nov 21 2026 22:10:01: %ASA-6-302013: Built inbound TCP connection 1 for outside:10.0.0.1/443 (10.0.0.1/443) to inside:10.0.0.2/5555 (10.0.0.2/5555)',
  '<189>2026 Nov 21 22:10:01 sw1 %ETHPORT-5-IF_UP: Interface Ethernet1/1 is up',
  '<29>1 2026-11-21T22:10:01.123+01:00 mx1 mgd 4242 UI_CMDLINE_READ_LINE [junos@2636.1.1.1.2.29 username="admin" command="show interfaces"] User \'admin\', command \'show interfaces\'',
  '<38>Nov  1 22:10:01 host1 sshd[123]: Accepted publickey for alice from 10.0.0.9 port 50000 ssh2',
  '<30>Nov  1 22:10:01 host1 systemd[1]: Started Session 42 of user alice.',
  '<13>1 2026-11-21T22:10:01Z host1 app 1 ID1 - plain RFC 5424 message',
];

export function warmUp(reader: Reader, iterations = 20_000): void {
  const t = Date.now();
  for (let i = 0; i < iterations; i++) {
    const line = SAMPLES[i % SAMPLES.length]!;
    reader.read(line, false, '192.0.2.1', 'udp', t);
  }
}
