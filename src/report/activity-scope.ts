// What of the activity log a pack scoped to some devices discloses. The log is one chain over the
// whole appliance, so a scoped pack carries every entry of the period — the chain checks from end to
// end — but gives whole only those about its devices: a decision on one of their findings, a case
// decision whose cases are all theirs. Every other entry (another device's decision, a bulk decision
// reaching outside the scope, sign-ins, refusals, exports, user and token management, purges) is
// given as its id and hashes alone: its link in the chain, nothing of what it says.

/** Why an entry's body is not in the pack (activity.jsonl's `withheld`). */
export const WITHHELD = 'outside the scope';

/**
 * The devices an activity entry is about, from its action and detail (JSON as stored): a finding
 * decision's (`finding.*`, its finding's device), a case decision's (`case.*`, each case's);
 * undefined when it is about no device, or its detail cannot be read as one.
 */
export function activityDevices(action: string, detail: string, deviceOf: (findingId: number) => string | undefined): string[] | undefined {
  let d: unknown;
  try {
    d = JSON.parse(detail);
  } catch {
    return undefined;
  }
  if (d === null || typeof d !== 'object') return undefined;
  const o = d as Record<string, unknown>;
  if (action.startsWith('finding.')) {
    const device = Number.isSafeInteger(o.finding) ? deviceOf(o.finding as number) : undefined;
    return device === undefined ? undefined : [device];
  }
  if (action.startsWith('case.') && Array.isArray(o.cases) && o.cases.length > 0) {
    const devices = o.cases.map((c: unknown) => (c !== null && typeof c === 'object' && typeof (c as { device?: unknown }).device === 'string' ? (c as { device: string }).device : undefined));
    return devices.every((x): x is string => x !== undefined) ? devices : undefined;
  }
  return undefined;
}

/** Whether a pack gives an entry whole: every entry when it is not scoped (`inScope` undefined), else one about its devices alone. */
export function activityDisclosed(action: string, detail: string, inScope: ((device: string) => boolean) | undefined, deviceOf: (findingId: number) => string | undefined): boolean {
  if (!inScope) return true;
  const devices = activityDevices(action, detail, deviceOf);
  return devices !== undefined && devices.every(inScope);
}
