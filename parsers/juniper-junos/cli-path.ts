// Junos configuration commands as account changes. Junos logs each command as typed, relative
// to the configuration level the user moved to (`edit system login`, then `set user bob class
// super-user`), so each CLI session's level is followed from its `edit`, `up`, `top` and `exit`
// commands. Account syntax per ../shared/notes/config-pull.md §4: `system login user NAME …`,
// `system root-authentication …`.

import type { AccountChange } from '../lib/record.js';

/** Words of a Junos command; a double-quoted string is one word, without its quotes. */
export function junosWords(command: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (let m = re.exec(command); m !== null; m = re.exec(command)) out.push(m[1] ?? m[2]!);
  return out;
}

const CHANGE_VERBS = new Set(['set', 'delete', 'deactivate', 'activate']);

/** Per CLI session (device + mgd process), the configuration level the user is at. */
export class EditLevels {
  private readonly levels = new Map<string, string[]>();

  constructor(private readonly max: number) {}

  /**
   * Follows one command of a session; returns the verb and the absolute configuration path of a
   * `set`/`delete`/`(de)activate` command, or undefined for any other command.
   */
  follow(session: string, words: string[]): { verb: string; path: string[] } | undefined {
    let w = words;
    const verb0 = w[0]?.toLowerCase();
    if (verb0 === undefined) return undefined;
    const level = this.levels.get(session) ?? [];
    if (verb0 === 'configure' || verb0 === 'quit' || (verb0 === 'exit' && w[1] === 'configuration-mode')) {
      this.levels.delete(session);
      return undefined;
    }
    if (verb0 === 'edit') return this.store(session, level.concat(w.slice(1)));
    if (verb0 === 'up') return this.store(session, level.slice(0, Math.max(0, level.length - (Number(w[1]) || 1))));
    if (verb0 === 'exit') return this.store(session, level.slice(0, -1));
    let base = level;
    if (verb0 === 'top') {
      if (w.length === 1) return this.store(session, []);
      base = [];
      w = w.slice(1);
    }
    const verb = w[0]!.toLowerCase();
    return CHANGE_VERBS.has(verb) ? { verb, path: base.concat(w.slice(1)) } : undefined;
  }

  private store(session: string, level: string[]): undefined {
    if (this.levels.size >= this.max) this.levels.clear();
    if (level.length === 0) this.levels.delete(session);
    else this.levels.set(session, level);
    return undefined;
  }
}

/** The account change a `set`/`delete`/`(de)activate` on an absolute path makes, if any. */
export function junosAccountChange(verb: string, path: readonly string[], value?: string): AccountChange | undefined {
  if (path[0] !== 'system') return undefined;
  if (path[1] === 'root-authentication') {
    if (verb === 'set') return { action: 'password.change', target: 'root', technique: 'T1098' };
    return { action: 'account.modify', target: 'root', technique: 'T1098' };
  }
  if (path[1] !== 'login' || path[2] !== 'user' || !path[3]) return undefined;
  const target = path[3];
  const rest = path.slice(4);
  if (verb === 'delete' && rest.length === 0) return { action: 'account.delete', target, technique: 'T1531' };
  if (verb !== 'set') return { action: 'account.modify', target, technique: 'T1098' };
  const change: AccountChange = { action: 'account.set', target, technique: 'T1136.001' };
  if (rest[0] === 'class') {
    change.role = rest[1] ?? value;
    // A class alone grants rights; it gives no way to log in.
    if (rest.length <= 2) change.technique = 'T1098';
  }
  return change;
}
