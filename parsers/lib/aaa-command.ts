// What a command seen in TACACS+ command accounting (ISE, tac_plus) does to local accounts. The
// AAA server relays the command text of whatever device sent it and does not say which CLI that
// was, so the command is read as a Cisco-style CLI would read it (`username …`, `enable secret`;
// parsers/lib/username.ts) or, for Junos, as an absolute `set|delete system login user …`.
// Only the first words decide: `show running-config | include username`, a user named `aaa` or a
// hostname containing `username` change nothing.

import { junosAccountChange, junosWords } from '../juniper-junos/cli-path.js';
import type { AccountChange } from './record.js';
import { redactSecrets } from './secrets.js';
import { ciscoAccountChange } from './username.js';

const MAX_COMMAND = 4096;

/**
 * The command as accounted, ready to store: IOS ends TACACS+ command arguments with a `<cr>`
 * token that is not part of the command, and every secret is redacted.
 */
export function accountedCommand(raw: string): string {
  let cmd = raw.length > MAX_COMMAND ? raw.slice(0, MAX_COMMAND) : raw;
  cmd = cmd.trim();
  if (cmd.endsWith('<cr>')) cmd = cmd.slice(0, -4).trimEnd();
  return redactSecrets(cmd);
}

/**
 * The account change a command makes, or undefined for every other command. Without knowing the
 * device's CLI, `no username bob <attribute>` is read the NX-OS/EOS way (the attribute removed,
 * the account kept) rather than the IOS way (the account removed): the record never claims a
 * deletion the device may not have made, and the next configuration pull settles it.
 */
export function accountCommand(command: string): AccountChange | undefined {
  const cisco = ciscoAccountChange(command, 'nxos');
  if (cisco) return cisco;
  const w = junosWords(command);
  const verb = w[0]?.toLowerCase();
  if ((verb === 'set' || verb === 'delete') && w[1] === 'system') return junosAccountChange(verb, w.slice(1));
  return undefined;
}
