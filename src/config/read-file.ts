// Reading a file aaawatch is given to configure it (the configuration, an inventory, a roster, the
// credentials file), bounded: a file past the bound is refused by name, not read into memory.

import { closeSync, openSync, readSync } from 'node:fs';

/**
 * 16 MiB: an inventory of 60,000 devices written out in YAML, five lines each, is 7.5 MB (as CSV
 * 2.8 MB), so the bound leaves an estate of well over 100,000 devices in either form. Past it,
 * the YAML reader's document would take well over a gigabyte (about 90 bytes a byte of text,
 * measured on the 60,000-device file) and most of a minute, and an unbounded read (a path to
 * /dev/zero or a log) would take the memory it could.
 */
export const CONFIG_FILE_MAX_BYTES = 16 * 1024 * 1024;

const CHUNK_BYTES = 1 << 20;

const mib = (n: number): string => `${(n / 1024 / 1024).toFixed(0)} MiB`;

/** The file's text as UTF-8, or why it cannot be had (`what`: how the message names the file, `the roster`). */
export function readConfigFile(file: string, what?: string): { text: string } | { problem: string } {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (err) {
    return { problem: `${file}: cannot read${what ? ` ${what}` : ''}: ${(err as NodeJS.ErrnoException).code ?? String(err)}` };
  }
  try {
    // Read to past the bound at most, whatever the file's size says (a device or a pipe says 0).
    const chunks: Buffer[] = [];
    let got = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
      const n = readSync(fd, chunk, 0, CHUNK_BYTES, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      got += n;
      if (got > CONFIG_FILE_MAX_BYTES) {
        return { problem: `${file}: more than ${mib(CONFIG_FILE_MAX_BYTES)}, the most a file aaawatch is configured by may hold (an inventory of over 100,000 devices fits): is it the file meant?` };
      }
    }
    return { text: Buffer.concat(chunks, got).toString('utf8') };
  } catch (err) {
    return { problem: `${file}: cannot read${what ? ` ${what}` : ''}: ${(err as NodeJS.ErrnoException).code ?? String(err)}` };
  } finally {
    closeSync(fd);
  }
}
