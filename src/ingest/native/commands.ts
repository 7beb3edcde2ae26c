// How an inventory device's commands are read when native accounting sends them one by one:
// besides the Cisco-style and Junos readings every platform gets (parsers/lib/account-command.ts),
// its platform's own reader (`Platform.commandReader`: Huawei VRP's `local-user`, Comware's view),
// one per platform for the whole serve, so a session's commands reach the same reader whichever
// connection carries them (a TACACS+ device not in single-connection mode opens one a request).

import { platformById } from '../../../parsers/index.js';
import type { OwnCommands } from '../../../parsers/lib/account-command.js';

export class CommandReaders {
  private readonly readers = new Map<string, OwnCommands | undefined>();

  /** The reader of `platform`'s own account commands, when the inventory names a platform that has one. */
  of(platform: string | undefined): OwnCommands | undefined {
    if (platform === undefined) return undefined;
    if (!this.readers.has(platform)) this.readers.set(platform, platformById(platform)?.commandReader?.());
    return this.readers.get(platform);
  }
}
