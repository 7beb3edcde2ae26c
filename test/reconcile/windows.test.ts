// Change windows: recurring in a zone (across midnight, across daylight-saving changes) and
// one-off with a ticket, each for the devices in its scope.

import { describe, expect, it } from 'vitest';
import { parseRosterYaml } from '../../src/reconcile/roster.js';
import { compileScope } from '../../src/reconcile/scope.js';
import { describeWindow, inWindow, windowAt } from '../../src/reconcile/windows.js';

const roster = parseRosterYaml(
  `
changeWindows:
  - name: weekly maintenance
    days: [sat]
    from: "22:00"
    to: "04:00"
    zone: Europe/Berlin
  - name: office hours
    days: [mon, tue, wed, thu, fri]
    from: "09:00"
    to: "17:00"
    zone: America/New_York
    groups: [access]
  - name: core upgrade
    ticket: CHG0012345
    start: 2026-11-20T13:00:00Z
    end: 2026-11-20T17:00:00Z
    devices: [core-*]
`,
  'w.yaml',
);
const [weekly, office, once] = roster.windows as [(typeof roster.windows)[number], (typeof roster.windows)[number], (typeof roster.windows)[number]];
const core = { name: 'core-sw1', platform: 'cisco-ios', groups: ['core'] };
const access = { name: 'acc-sw7', platform: 'cisco-ios', groups: ['access'] };

describe('recurring', () => {
  it('Saturday 22:00 to Sunday 04:00 Berlin time, in winter (CET) and summer (CEST)', () => {
    // 2026-11-21 is a Saturday; Berlin is UTC+1.
    expect(inWindow(weekly, Date.UTC(2026, 10, 21, 20, 59))).toBe(false); // 21:59
    expect(inWindow(weekly, Date.UTC(2026, 10, 21, 21, 0))).toBe(true); // 22:00
    expect(inWindow(weekly, Date.UTC(2026, 10, 22, 2, 59))).toBe(true); // Sunday 03:59
    expect(inWindow(weekly, Date.UTC(2026, 10, 22, 3, 0))).toBe(false); // Sunday 04:00
    expect(inWindow(weekly, Date.UTC(2026, 10, 20, 21, 30))).toBe(false); // Friday 22:30
    expect(inWindow(weekly, Date.UTC(2026, 10, 23, 1, 0))).toBe(false); // Monday 02:00
    // 2026-07-11 is a Saturday; Berlin is UTC+2.
    expect(inWindow(weekly, Date.UTC(2026, 6, 11, 20, 0))).toBe(true); // 22:00 CEST
    expect(inWindow(weekly, Date.UTC(2026, 6, 11, 19, 59))).toBe(false);
  });

  it('a daytime window in its own zone, for its scope only', () => {
    // Tuesday 2026-11-17 10:00 in New York is 15:00 UTC.
    expect(windowAt(roster.windows, access, Date.UTC(2026, 10, 17, 15, 0))).toBe(office);
    expect(windowAt(roster.windows, core, Date.UTC(2026, 10, 17, 15, 0))).toBeUndefined();
    expect(windowAt(roster.windows, access, Date.UTC(2026, 10, 17, 22, 0))).toBeUndefined(); // 17:00 New York
  });
});

describe('zones with half-hour offsets and the hour the clocks go back', () => {
  const local = parseRosterYaml(
    `
changeWindows:
  - { name: kolkata, days: [mon], from: "09:30", to: "10:00", zone: Asia/Kolkata }
  - { name: berlin night, days: [sun], from: "02:30", to: "03:30", zone: Europe/Berlin }
`,
    'z.yaml',
  ).windows;
  it('Kolkata is UTC+5:30', () => {
    expect(inWindow(local[0]!, Date.UTC(2026, 10, 23, 4, 0))).toBe(true); // Monday 09:30 IST
    expect(inWindow(local[0]!, Date.UTC(2026, 10, 23, 4, 31))).toBe(false); // 10:01
    expect(inWindow(local[0]!, Date.UTC(2026, 10, 23, 3, 59))).toBe(false); // 09:29
  });
  it('Berlin on 25 October 2026: 02:45 happens twice, both inside; 03:45 after the change is outside', () => {
    expect(inWindow(local[1]!, Date.UTC(2026, 9, 25, 0, 45))).toBe(true); // 02:45 CEST
    expect(inWindow(local[1]!, Date.UTC(2026, 9, 25, 1, 45))).toBe(true); // 02:45 CET
    expect(inWindow(local[1]!, Date.UTC(2026, 9, 25, 2, 45))).toBe(false); // 03:45 CET
  });
});

describe('clocks that change off the UTC hour', () => {
  const local = parseRosterYaml(
    `
changeWindows:
  - { name: adelaide, days: [sun], from: "03:00", to: "03:30", zone: Australia/Adelaide }
  - { name: st johns, days: [sun], from: "03:00", to: "03:20", zone: America/St_Johns }
`,
    'z.yaml',
  ).windows;
  it('Adelaide on 4 October 2026 (02:00 ACST becomes 03:00 ACDT at 16:30 UTC): 03:10 is inside', () => {
    // Asked first for the hour's start, as a run over a store asks in time order.
    expect(inWindow(local[0]!, Date.UTC(2026, 9, 3, 16, 5))).toBe(false); // 01:35 ACST
    expect(inWindow(local[0]!, Date.UTC(2026, 9, 3, 16, 40))).toBe(true); // 03:10 ACDT
    expect(inWindow(local[0]!, Date.UTC(2026, 9, 3, 17, 5))).toBe(false); // 03:35 ACDT
  });
  it('St. John\'s on 8 March 2026 (02:00 NST becomes 03:00 NDT at 05:30 UTC): 03:05 is inside', () => {
    expect(inWindow(local[1]!, Date.UTC(2026, 2, 8, 5, 10))).toBe(false); // 01:40 NST
    expect(inWindow(local[1]!, Date.UTC(2026, 2, 8, 5, 35))).toBe(true); // 03:05 NDT
  });
});

describe('one-off', () => {
  it('from start to end inclusive, with its ticket', () => {
    expect(inWindow(once, Date.UTC(2026, 10, 20, 13, 0))).toBe(true);
    expect(inWindow(once, Date.UTC(2026, 10, 20, 17, 0))).toBe(true);
    expect(inWindow(once, Date.UTC(2026, 10, 20, 17, 0, 1))).toBe(false);
    expect(windowAt(roster.windows, core, Date.UTC(2026, 10, 20, 14, 2))).toBe(once);
    expect(windowAt(roster.windows, { name: 'edge-fw1', platform: 'cisco-asa', groups: ['edge'] }, Date.UTC(2026, 10, 20, 14, 2))).toBeUndefined();
    // Friday 09:02 in New York: the access switch is in office hours instead.
    expect(windowAt(roster.windows, access, Date.UTC(2026, 10, 20, 14, 2))).toBe(office);
    expect(describeWindow(once)).toBe('change window "core upgrade" (ticket CHG0012345)');
  });
});

describe('scopes', () => {
  it('names, globs (without regard to case), groups and platforms; "*" is everywhere', () => {
    const t = compileScope({ devices: ['CORE-*', 'edge-fw1'], groups: ['dc'], platforms: ['juniper-junos'] });
    expect(t(core)).toBe(true);
    expect(t({ name: 'Edge-FW1', platform: 'cisco-asa', groups: [] })).toBe(true);
    expect(t({ name: 'x', platform: 'juniper-junos', groups: [] })).toBe(true);
    expect(t({ name: 'x', platform: 'cisco-ios', groups: ['dc'] })).toBe(true);
    expect(t(access)).toBe(false);
    // Glob characters only: a dot is a dot.
    expect(compileScope({ devices: ['sw?.lab'], groups: [], platforms: [] })({ name: 'sw1xlab', platform: 'cisco-ios', groups: [] })).toBe(false);
    expect(compileScope({ devices: ['*'], groups: ['ignored'], platforms: [] })(access)).toBe(true);
  });
});
