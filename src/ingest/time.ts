// Zones a configuration or roster names: checked against the runtime's IANA database. Turning a
// device's stamp into UTC is parsers/lib/wall-clock.ts, shared with the platforms.

/** True when `zone` is an IANA zone name this runtime knows. */
export function isKnownZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
