// A short memory of account changes already reported, for devices that log one change twice in
// different words (Junos `UI_CMDLINE_READ_LINE` for the command and `UI_CFG_AUDIT_SET` for its
// effect): the second report of the same change by the same actor within a few seconds adds
// nothing and would turn one `account.set` into a create followed by a modify.

export class RecentChanges {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly windowMs: number,
    private readonly max: number,
  ) {}

  /** True when `key` was noted within the window before `at`; notes it either way. */
  repeat(key: string, at: number): boolean {
    const before = this.seen.get(key);
    if (this.seen.size >= this.max) this.seen.clear();
    this.seen.set(key, at);
    return before !== undefined && Math.abs(at - before) <= this.windowMs;
  }
}
