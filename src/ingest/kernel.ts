// What the kernel dropped before aaawatch saw it: system-wide UDP receive-buffer errors from
// /proc/net/snmp, and the drop counter of our own socket from /proc/net/udp{,6}. syslog-ng and
// rsyslog do not report these; a collector that loses datagrams silently is not evidence.

import { readFileSync } from 'node:fs';

export interface UdpKernelCounters {
  inErrors: number;
  rcvbufErrors: number;
}

export function parseSnmp(text: string): UdpKernelCounters | undefined {
  const lines = text.split('\n').filter((l) => l.startsWith('Udp:'));
  if (lines.length < 2) return undefined;
  const names = lines[0]!.split(/\s+/).slice(1);
  const values = lines[1]!.split(/\s+/).slice(1).map(Number);
  const get = (n: string): number => values[names.indexOf(n)] ?? 0;
  return { inErrors: get('InErrors'), rcvbufErrors: get('RcvbufErrors') };
}

/** Drops counted on sockets bound to `port` (last column of /proc/net/udp and udp6). */
export function parseSocketDrops(text: string, port: number): number {
  const hexPort = ':' + port.toString(16).toUpperCase().padStart(4, '0');
  let drops = 0;
  for (const line of text.split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    if (cols.length < 13 || !cols[1]?.endsWith(hexPort)) continue;
    drops += Number(cols[cols.length - 1]) || 0;
  }
  return drops;
}

function read(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

export function readUdpKernelCounters(): UdpKernelCounters | undefined {
  return parseSnmp(read('/proc/net/snmp'));
}

export function readSocketDrops(port: number): number {
  return parseSocketDrops(read('/proc/net/udp') + '\n' + read('/proc/net/udp6'), port);
}
