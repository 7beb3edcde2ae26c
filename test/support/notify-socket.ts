// A stand-in for systemd's notification socket: a unix datagram socket that records every message
// a process sends to $NOTIFY_SOCKET. Node cannot bind one, so Perl's core IO::Socket::UNIX does
// (perl-base is Essential on Debian); it reads with recv(), so file descriptors passed with a
// message (systemd-notify's BARRIER=1) are closed at once, as systemd does once it has read it.

import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const RECEIVER = `
use strict; use IO::Socket::UNIX; use Socket;
$| = 1;
my $s = IO::Socket::UNIX->new(Type => SOCK_DGRAM, Local => $ARGV[0]) or die "bind $ARGV[0]: $!";
print "listening\\n";
while (1) { my $buf; defined($s->recv($buf, 65536)) or die "recv: $!"; print length($buf), "\\n", $buf; }
`;

export interface NotifySocket {
  path: string;
  /** Every message so far, each as its fields. */
  messages: Array<Record<string, string>>;
  /** Resolves with the first message (from `from` on) for which `match` holds. */
  next(match: (m: Record<string, string>) => boolean, from?: number, timeoutMs?: number): Promise<Record<string, string>>;
  close(): void;
}

export function parseMessage(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) fields[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return fields;
}

export async function notifySocket(dir: string): Promise<NotifySocket> {
  const path = join(dir, 'notify.sock');
  const perl: ChildProcess = spawn('perl', ['-e', RECEIVER, path], { stdio: ['ignore', 'pipe', 'inherit'] });
  const messages: Array<Record<string, string>> = [];
  const waiters: Array<() => void> = [];
  let buffer = Buffer.alloc(0);
  let ready!: () => void;
  const listening = new Promise<void>((r) => (ready = r));
  perl.stdout!.on('data', (d: Buffer) => {
    buffer = Buffer.concat([buffer, d]);
    for (;;) {
      const nl = buffer.indexOf(10);
      if (nl < 0) return;
      const head = buffer.subarray(0, nl).toString();
      if (head === 'listening') {
        buffer = buffer.subarray(nl + 1);
        ready();
        continue;
      }
      const length = Number(head);
      if (buffer.length < nl + 1 + length) return;
      messages.push(parseMessage(buffer.subarray(nl + 1, nl + 1 + length).toString()));
      buffer = buffer.subarray(nl + 1 + length);
      for (const w of waiters.splice(0)) w();
    }
  });
  await listening;
  return {
    path,
    messages,
    // A guard against a hang only: serve took over 20 s to say READY=1 at load 20.
    next(match, from = 0, timeoutMs = 120_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching notification; got ${JSON.stringify(messages.slice(from))}`)), timeoutMs);
        const look = (): void => {
          const m = messages.slice(from).find(match);
          if (m) {
            clearTimeout(timer);
            resolve(m);
          } else waiters.push(look);
        };
        look();
      });
    },
    close: () => perl.kill(),
  };
}
