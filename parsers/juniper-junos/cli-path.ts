// The configuration level of each Junos CLI session. Junos logs each command as typed, relative
// to the configuration level the user moved to (`edit system login`, then `set user bob class
// super-user`), so each session's level is followed from its `edit`, `up`, `top` and `exit`
// commands; what the resulting absolute path does to accounts is read by parsers/lib/account-command.ts.

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
