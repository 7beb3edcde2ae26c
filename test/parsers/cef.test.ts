import { describe, expect, it } from 'vitest';
import { readCef } from '../../parsers/lib/cef.js';

// The CEF grammar (ArcSight's Common Event Format specification): seven header fields with
// `\|` and `\\` escaped, then an extension of key=value pairs whose values hold spaces.
describe('CEF reader', () => {
  it('reads the header and an extension whose values hold spaces, empty values included', () => {
    // A line of test/corpus/syslog/fortinet-fortios/sekoia-fortigate.relevant (line 1).
    const cef = readCef('CEF:0|Fortinet|Fortigate|v6.2.9|32102|event:system|7|deviceExternalId=FGVM2V0000171868 FortinetFortiGatelogid=0100032102 cat=event:system FortinetFortiGatelogdesc=Configuration changed duser= sproc=console msg=Configuration is changed in the admin session');
    expect(cef).toMatchObject({ vendor: 'Fortinet', product: 'Fortigate', version: 'v6.2.9', signature: '32102', name: 'event:system', severity: '7' });
    expect({ ...cef!.extension }).toEqual({
      deviceExternalId: 'FGVM2V0000171868', FortinetFortiGatelogid: '0100032102', cat: 'event:system',
      FortinetFortiGatelogdesc: 'Configuration changed', duser: '', sproc: 'console', msg: 'Configuration is changed in the admin session',
    });
  });

  it('unescapes the header’s pipes and the extension’s equals signs, backslashes and line ends', () => {
    const cef = readCef('CEF:0|Ven\\|dor|Prod\\\\uct|1|2|n|3|msg=a\\=b c\\\\d\\ne rest=x');
    expect([cef?.vendor, cef?.product]).toEqual(['Ven|dor', 'Prod\\uct']);
    expect({ ...cef!.extension }).toEqual({ msg: 'a=b c\\d\ne', rest: 'x' });
  });

  it('reads nothing from a line whose header is cut short, and keeps hostile keys as plain keys', () => {
    expect(readCef('CEF:0|Fortinet|Fortigate|v6')).toBeUndefined();
    expect(readCef('date=2026-11-21 CEF:0|a|b|c|d|e|f|')).toBeUndefined();
    const cef = readCef('CEF:0|a|b|c|d|e|f|__proto__=x constructor=y');
    expect(Object.getPrototypeOf(cef!.extension)).toBeNull();
    expect(cef!.extension['__proto__']).toBe('x');
  });

  it('stops at 200 pairs', () => {
    const many = Array.from({ length: 500 }, (_, i) => `k${i}=v`).join(' ');
    expect(Object.keys(readCef(`CEF:0|a|b|c|d|e|f|${many}`)!.extension)).toHaveLength(200);
  });
});
