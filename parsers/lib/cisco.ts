// Pieces every Cisco-family recogniser (IOS, NX-OS, IOS-XR, EOS, ASA) needs: the parts of a
// `FACILITY-SEVERITY-MNEMONIC` tag, and the `Configured from … by …` sentence they all print.

import { address } from './record.js';

export function facilityOf(tag: string): string {
  const d = tag.indexOf('-');
  return d < 0 ? tag : tag.slice(0, d);
}

/** `CONFIG_I` of `SYS-SW1-5-CONFIG_I`. */
export function mnemonicOf(tag: string): string {
  return tag.slice(tag.lastIndexOf('-') + 1);
}

export interface ConfiguredFrom {
  /** `console` (a terminal), `memory`, `vty` (NX-OS), a URL … as printed. */
  source: string;
  /** The user, when the device names one rather than a line. */
  user?: string | undefined;
  /** The terminal line (`vty0`, `pts/3`, `command-api`). */
  line?: string | undefined;
  address?: string | undefined;
}

const LINE_NAME = /^(?:vty|tty|aux|con)\d+$/i;

/**
 * `Configured from console by admin on vty0 (10.1.1.1)` (IOS, EOS, IOS-XR),
 * `Configured from vty by admin on 10.1.1.1@pts/3` (NX-OS),
 * `Configured from console by vty0 (10.1.1.1)` (IOS without a login: the line, no user).
 */
export function parseConfiguredFrom(body: string): ConfiguredFrom | undefined {
  const m = /^Configured from (\S+) by (\S+)(?: on (\S+))?(?: \(([^)]*)\))?/.exec(body);
  if (!m) return undefined;
  const by = m[2]!;
  let line = m[3];
  let addr = m[4];
  if (line && line.includes('@')) {
    addr = line.slice(0, line.indexOf('@'));
    line = line.slice(line.indexOf('@') + 1);
  } else if (line && address(line)) {
    addr = line;
    line = undefined;
  }
  const byIsLine = LINE_NAME.test(by);
  return {
    source: m[1]!,
    user: byIsLine ? undefined : by,
    line: byIsLine ? by : line,
    address: address(addr),
  };
}
