// Pieces every Cisco-family recogniser (IOS, NX-OS, IOS-XR, EOS, ASA) needs: reading a
// `%FACILITY-SEVERITY-MNEMONIC` tag where the header parser could not (EOS puts an agent name and
// a sequence number before it, IOS-XR a node id and its own stamp, Junos explicit-priority a
// program name), and the `Configured from … by …` sentence they all print.

import { address } from './record.js';

export interface Tagged {
  /** The tag without `%` and `:` (`ACCOUNTING-6-CMD`, `SECURITY-SSHD-6-INFO_SUCCESS`). */
  tag: string;
  /** The text after the tag's colon. */
  body: string;
}

const isTagChar = (c: number): boolean =>
  (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95 || c === 45;

/** Reads `%TAG:` or `%TAG :` (IOS-XR) at i, where text[i] is `%`. */
function tagAt(text: string, i: number): Tagged | undefined {
  let j = i + 1;
  let dashes = 0;
  while (j < text.length && j - i <= 80 && isTagChar(text.charCodeAt(j))) {
    if (text.charCodeAt(j) === 45) dashes++;
    j++;
  }
  if (dashes < 2 || j === i + 1) return undefined;
  const end = j;
  if (text.charCodeAt(j) === 32) j++;
  if (text.charCodeAt(j) !== 58) return undefined;
  j++;
  while (text.charCodeAt(j) === 32) j++;
  return { tag: text.slice(i + 1, end), body: text.slice(j) };
}

/** A tag at the start of a message body, after an optional `123: ` sequence number (EOS agents). */
export function leadingTag(text: string): Tagged | undefined {
  let i = 0;
  while (i < 12 && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
  if (i > 0) {
    if (text.charCodeAt(i) !== 58 || text.charCodeAt(i + 1) !== 32) return undefined;
    i += 2;
  }
  return text.charCodeAt(i) === 37 ? tagAt(text, i) : undefined;
}

/**
 * A tag anywhere in the first part of a body, for IOS-XR lines that reach aaawatch as
 * `RP/0/RP0/CPU0:Nov 21 22:10:01.691 +06: SSHD_[pid]: %SECURITY-SSHD-6-INFO_SUCCESS : …`.
 */
export function embeddedTag(text: string): Tagged | undefined {
  const limit = Math.min(text.length, 200);
  for (let i = text.indexOf('%'); i >= 0 && i < limit; i = text.indexOf('%', i + 1)) {
    if (i === 0 || text.charCodeAt(i - 1) === 32) {
      const t = tagAt(text, i);
      if (t) return t;
    }
  }
  return undefined;
}

/** `SYS` of `SYS-SW1-5-CONFIG_I`. */
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
