// Logins and commands of a few actors on a few devices, and look-ups of them, for the tests that
// check a step's session look-ups against one key's alone on each engine
// (test/reconcile/sessions-batch.test.ts, test/store/pg-sessions-batch.test.ts).

export interface SessionRow {
  kind: 'session' | 'command';
  action: string;
  time: number;
  device: string;
  actor: string;
  address: string | null;
}

/**
 * 3,000 records around `t` drawn from `r`, in seconds so stamps often tie; some logins carry no
 * address (lastLoginOf passes them over); and an automation account with more commands on
 * `devices[0]` in a minute than one look reads.
 */
export function sessionRows(r: () => number, t: number, devices: readonly string[], actors: readonly string[]): SessionRow[] {
  const rows: SessionRow[] = [];
  for (let i = 0; i < 3000; i++) {
    const device = devices[Math.floor(r() * devices.length)]!;
    const actor = actors[Math.floor(r() * actors.length)]!;
    const time = t + Math.floor(r() * 1800) * 1000 - 900_000;
    const login = r() < 0.2;
    rows.push({ kind: login ? 'session' : 'command', action: login ? (r() < 0.5 ? 'login' : 'session.start') : 'command', time, device, actor, address: login && r() < 0.7 ? '192.0.2.7' : null });
  }
  for (let s = 0; s < 80; s++) rows.push({ kind: 'command', action: 'command', time: t + s * 500, device: devices[0]!, actor: 'svc-bulk', address: null });
  return rows;
}

/** 300 look-ups drawn from `r`, then the busy actor's twice (keys 300, 301), a device and an actor with nothing (302, 303). */
export function sessionKeys(r: () => number, t: number, devices: readonly string[], actors: readonly string[]): Array<{ device: string; actor: string; time: number }> {
  const keys: Array<{ device: string; actor: string; time: number }> = [];
  for (let i = 0; i < 300; i++) {
    keys.push({ device: devices[Math.floor(r() * devices.length)]!, actor: actors[Math.floor(r() * actors.length)]!, time: t + Math.floor(r() * 2400) * 1000 - 1_200_000 });
  }
  keys.push({ device: devices[0]!, actor: 'svc-bulk', time: t + 20_000 }, { device: devices[0]!, actor: 'svc-bulk', time: t + 20_000 });
  keys.push({ device: 'nowhere', actor: 'jdoe', time: t }, { device: devices[0]!, actor: 'nobody', time: t });
  return keys;
}
