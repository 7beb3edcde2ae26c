// The RADIUS attributes aaawatch names: those of RFC 2865/2866/2869/3162/3579 an accounting
// request carries, and the vendor-specific ones that say who did what on a network device (numbers
// as in FreeRADIUS's dictionaries: dictionary.rfc2868, .cisco, .juniper, .aruba, .hp, .arista,
// .fortinet, .paloalto, .microsoft, .huawei, .h3c, .mikrotik, .foundry). Anything else is rendered by number. Secret-bearing attributes are marked: their
// values are never rendered.

/**
 * How a value is read. `tagged-integer` and `tagged-string` carry RFC 2868's tag (which tunnel the
 * attribute is for): an integer's first octet always, a string's first octet when below 0x20 (as
 * FreeRADIUS decodes them); the tag is shown after the name, `Tunnel-Type:1=VLAN`. `unknown`: an
 * attribute no dictionary here describes, shown by its length alone (render.ts): what it holds may
 * be a password, a key or a hash, which neither as hex nor as text the secret gate could tell.
 */
export type AttributeKind = 'string' | 'integer' | 'ipaddr' | 'ipv6addr' | 'date' | 'octets' | 'secret' | 'unknown' | 'tagged-integer' | 'tagged-string';

export interface AttributeInfo {
  name: string;
  kind: AttributeKind;
  /** Names of integer values. */
  values?: Readonly<Record<number, string>>;
  /**
   * A string whose value is a command line (render.ts passes it through the secret gate on its
   * own: the gate does not read a command that starts right after `Name=`).
   */
  command?: true;
}

export const ACCT_STATUS = { Start: 1, Stop: 2, InterimUpdate: 3, AccountingOn: 7, AccountingOff: 8, Failed: 15 } as const;

const SERVICE_TYPES: Record<number, string> = {
  1: 'Login-User', 2: 'Framed-User', 3: 'Callback-Login-User', 4: 'Callback-Framed-User', 5: 'Outbound-User', 6: 'Administrative-User',
  7: 'NAS-Prompt-User', 8: 'Authenticate-Only', 9: 'Callback-NAS-Prompt', 10: 'Call-Check', 11: 'Callback-Administrative',
};

export const STANDARD: ReadonlyMap<number, AttributeInfo> = new Map<number, AttributeInfo>([
  [1, { name: 'User-Name', kind: 'string' }],
  [2, { name: 'User-Password', kind: 'secret' }],
  [3, { name: 'CHAP-Password', kind: 'secret' }],
  [4, { name: 'NAS-IP-Address', kind: 'ipaddr' }],
  [5, { name: 'NAS-Port', kind: 'integer' }],
  [6, { name: 'Service-Type', kind: 'integer', values: SERVICE_TYPES }],
  [7, { name: 'Framed-Protocol', kind: 'integer', values: { 1: 'PPP', 2: 'SLIP', 3: 'ARAP' } }],
  [8, { name: 'Framed-IP-Address', kind: 'ipaddr' }],
  [11, { name: 'Filter-Id', kind: 'string' }],
  [18, { name: 'Reply-Message', kind: 'string' }],
  [25, { name: 'Class', kind: 'octets' }],
  [30, { name: 'Called-Station-Id', kind: 'string' }],
  [31, { name: 'Calling-Station-Id', kind: 'string' }],
  [32, { name: 'NAS-Identifier', kind: 'string' }],
  [33, { name: 'Proxy-State', kind: 'octets' }],
  // 9–14: tunnel accounting (RFC 2867 §4.1); 15: Failed (RFC 2866 §5.1, as FreeRADIUS's dictionary.rfc2866 names it).
  [40, {
    name: 'Acct-Status-Type', kind: 'integer', values: {
      1: 'Start', 2: 'Stop', 3: 'Interim-Update', 7: 'Accounting-On', 8: 'Accounting-Off', 9: 'Tunnel-Start', 10: 'Tunnel-Stop', 11: 'Tunnel-Reject',
      12: 'Tunnel-Link-Start', 13: 'Tunnel-Link-Stop', 14: 'Tunnel-Link-Reject', 15: 'Failed',
    },
  }],
  [41, { name: 'Acct-Delay-Time', kind: 'integer' }],
  [42, { name: 'Acct-Input-Octets', kind: 'integer' }],
  [43, { name: 'Acct-Output-Octets', kind: 'integer' }],
  [44, { name: 'Acct-Session-Id', kind: 'string' }],
  [45, { name: 'Acct-Authentic', kind: 'integer', values: { 1: 'RADIUS', 2: 'Local', 3: 'Remote', 4: 'Diameter' } }],
  [46, { name: 'Acct-Session-Time', kind: 'integer' }],
  [47, { name: 'Acct-Input-Packets', kind: 'integer' }],
  [48, { name: 'Acct-Output-Packets', kind: 'integer' }],
  [49, {
    name: 'Acct-Terminate-Cause', kind: 'integer', values: {
      1: 'User-Request', 2: 'Lost-Carrier', 3: 'Lost-Service', 4: 'Idle-Timeout', 5: 'Session-Timeout', 6: 'Admin-Reset', 7: 'Admin-Reboot',
      8: 'Port-Error', 9: 'NAS-Error', 10: 'NAS-Request', 11: 'NAS-Reboot', 12: 'Port-Unneeded', 13: 'Port-Preempted', 14: 'Port-Suspended',
      15: 'Service-Unavailable', 16: 'Callback', 17: 'User-Error', 18: 'Host-Request',
    },
  }],
  [50, { name: 'Acct-Multi-Session-Id', kind: 'string' }],
  [51, { name: 'Acct-Link-Count', kind: 'integer' }],
  [52, { name: 'Acct-Input-Gigawords', kind: 'integer' }],
  [53, { name: 'Acct-Output-Gigawords', kind: 'integer' }],
  [55, { name: 'Event-Timestamp', kind: 'date' }],
  [60, { name: 'CHAP-Challenge', kind: 'secret' }],
  [61, { name: 'NAS-Port-Type', kind: 'integer', values: { 0: 'Async', 1: 'Sync', 2: 'ISDN', 5: 'Virtual', 15: 'Ethernet', 19: 'Wireless-802.11' } }],
  [64, { name: 'Tunnel-Type', kind: 'tagged-integer', values: { 1: 'PPTP', 2: 'L2F', 3: 'L2TP', 9: 'ESP', 10: 'GRE', 12: 'IP-in-IP', 13: 'VLAN' } }],
  [65, { name: 'Tunnel-Medium-Type', kind: 'tagged-integer', values: { 1: 'IPv4', 2: 'IPv6', 6: 'IEEE-802' } }],
  [66, { name: 'Tunnel-Client-Endpoint', kind: 'tagged-string' }],
  [67, { name: 'Tunnel-Server-Endpoint', kind: 'tagged-string' }],
  [69, { name: 'Tunnel-Password', kind: 'secret' }],
  [77, { name: 'Connect-Info', kind: 'string' }],
  [79, { name: 'EAP-Message', kind: 'secret' }],
  [80, { name: 'Message-Authenticator', kind: 'secret' }],
  [81, { name: 'Tunnel-Private-Group-Id', kind: 'tagged-string' }],
  [82, { name: 'Tunnel-Assignment-Id', kind: 'tagged-string' }],
  [83, { name: 'Tunnel-Preference', kind: 'tagged-integer' }],
  [85, { name: 'Acct-Interim-Interval', kind: 'integer' }],
  [87, { name: 'NAS-Port-Id', kind: 'string' }],
  [90, { name: 'Tunnel-Client-Auth-Id', kind: 'tagged-string' }],
  [91, { name: 'Tunnel-Server-Auth-Id', kind: 'tagged-string' }],
  [95, { name: 'NAS-IPv6-Address', kind: 'ipv6addr' }],
  [168, { name: 'Framed-IPv6-Address', kind: 'ipv6addr' }],
]);

export const VENDOR = {
  Cisco: 9, HP: 11, Microsoft: 311, Foundry: 1991, Huawei: 2011, Juniper: 2636, Fortinet: 12356, Aruba: 14823, Mikrotik: 14988, PaloAlto: 25461, H3C: 25506, Arista: 30065,
} as const;

const VENDOR_NAMES: Readonly<Record<number, string>> = Object.fromEntries(Object.entries(VENDOR).map(([name, id]) => [id, name]));

/** Microsoft attributes that say what a session is, and hold no secret (the rest are MS-CHAP and MPPE material). */
const MS_NAMED: ReadonlyArray<[number, AttributeInfo]> = [
  [9, { name: 'MS-RAS-Vendor', kind: 'integer' }], [10, { name: 'MS-CHAP-Domain', kind: 'string' }], [18, { name: 'MS-RAS-Version', kind: 'string' }],
  [23, { name: 'MS-Acct-Auth-Type', kind: 'integer', values: { 1: 'PAP', 2: 'CHAP', 3: 'MS-CHAP-1', 4: 'MS-CHAP-2', 5: 'EAP' } }],
  [24, { name: 'MS-Acct-EAP-Type', kind: 'integer' }], [34, { name: 'MS-RAS-Client-Name', kind: 'string' }], [35, { name: 'MS-RAS-Client-Version', kind: 'string' }],
  [50, { name: 'MS-Machine-Name', kind: 'string' }],
];

const MS_SECRETS: ReadonlyArray<[number, string]> = [
  [1, 'MS-CHAP-Response'], [2, 'MS-CHAP-Error'], [3, 'MS-CHAP-CPW-1'], [4, 'MS-CHAP-CPW-2'], [5, 'MS-CHAP-LM-Enc-PW'], [6, 'MS-CHAP-NT-Enc-PW'],
  [11, 'MS-CHAP-Challenge'], [12, 'MS-CHAP-MPPE-Keys'], [16, 'MS-MPPE-Send-Key'], [17, 'MS-MPPE-Recv-Key'], [25, 'MS-CHAP2-Response'],
  [19, 'MS-Old-ARAP-Password'], [20, 'MS-New-ARAP-Password'], [26, 'MS-CHAP2-Success'], [27, 'MS-CHAP2-CPW'],
];

export const VENDOR_ATTRIBUTES: ReadonlyMap<number, ReadonlyMap<number, AttributeInfo>> = new Map<number, ReadonlyMap<number, AttributeInfo>>([
  [VENDOR.Cisco, new Map<number, AttributeInfo>([
    [1, { name: 'Cisco-AVPair', kind: 'string' }],
    [2, { name: 'Cisco-NAS-Port', kind: 'string' }],
    [249, { name: 'Cisco-Subscriber-Password', kind: 'secret' }],
    [250, { name: 'Cisco-Account-Info', kind: 'string' }],
    [252, { name: 'Cisco-Command-Code', kind: 'string' }],
  ])],
  [VENDOR.HP, new Map<number, AttributeInfo>([
    [1, { name: 'HP-Privilege-Level', kind: 'integer' }],
    [2, { name: 'HP-Command-String', kind: 'string', command: true }],
    [3, { name: 'HP-Command-Exception', kind: 'integer', values: { 0: 'Permit-List', 1: 'Deny-List' } }],
    [25, { name: 'HP-User-Role', kind: 'string' }],
    [26, { name: 'HP-Management-Protocol', kind: 'integer' }],
    [27, { name: 'HP-CPPM-Role', kind: 'string' }],
  ])],
  [VENDOR.Juniper, new Map<number, AttributeInfo>([
    [1, { name: 'Juniper-Local-User-Name', kind: 'string' }],
    [2, { name: 'Juniper-Allow-Commands', kind: 'string' }],
    [3, { name: 'Juniper-Deny-Commands', kind: 'string' }],
    [4, { name: 'Juniper-Allow-Configuration', kind: 'string' }],
    [5, { name: 'Juniper-Deny-Configuration', kind: 'string' }],
    [8, { name: 'Juniper-Interactive-Command', kind: 'string', command: true }],
    [9, { name: 'Juniper-Configuration-Change', kind: 'string', command: true }],
    [10, { name: 'Juniper-User-Permissions', kind: 'string' }],
  ])],
  [VENDOR.Fortinet, new Map<number, AttributeInfo>([
    [1, { name: 'Fortinet-Group-Name', kind: 'string' }],
    [2, { name: 'Fortinet-Client-IP-Address', kind: 'ipaddr' }],
    [3, { name: 'Fortinet-Vdom-Name', kind: 'string' }],
    [6, { name: 'Fortinet-Access-Profile', kind: 'string' }],
  ])],
  [VENDOR.Aruba, new Map<number, AttributeInfo>([
    [1, { name: 'Aruba-User-Role', kind: 'string' }],
    [3, { name: 'Aruba-Priv-Admin-User', kind: 'integer' }],
    [4, { name: 'Aruba-Admin-Role', kind: 'string' }],
    [23, { name: 'Aruba-CPPM-Role', kind: 'string' }],
    [30, { name: 'Aruba-AS-Credential-Hash', kind: 'secret' }],
    [42, { name: 'Aruba-Admin-Path', kind: 'string' }],
    [44, { name: 'Aruba-MPSK-Passphrase', kind: 'secret' }],
    [46, { name: 'Aruba-Command-String', kind: 'string', command: true }],
    [48, { name: 'Aruba-Admin-Device-Group', kind: 'string' }],
  ])],
  [VENDOR.PaloAlto, new Map<number, AttributeInfo>([
    [1, { name: 'PaloAlto-Admin-Role', kind: 'string' }],
    [2, { name: 'PaloAlto-Admin-Access-Domain', kind: 'string' }],
    [3, { name: 'PaloAlto-Panorama-Admin-Role', kind: 'string' }],
    [4, { name: 'PaloAlto-Panorama-Admin-Access-Domain', kind: 'string' }],
    [5, { name: 'PaloAlto-User-Group', kind: 'string' }],
    [6, { name: 'PaloAlto-User-Domain', kind: 'string' }],
    [7, { name: 'PaloAlto-Client-Source-IP', kind: 'string' }],
    [8, { name: 'PaloAlto-Client-OS', kind: 'string' }],
    [9, { name: 'PaloAlto-Client-Hostname', kind: 'string' }],
    [10, { name: 'PaloAlto-GlobalProtect-Client-Version', kind: 'string' }],
  ])],
  [VENDOR.Arista, new Map<number, AttributeInfo>([
    [1, { name: 'Arista-AVPair', kind: 'string' }],
    [2, { name: 'Arista-User-Priv-Level', kind: 'integer' }],
    [3, { name: 'Arista-User-Role', kind: 'string' }],
    [4, { name: 'Arista-CVP-Role', kind: 'string' }],
    [5, { name: 'Arista-Command', kind: 'string', command: true }],
  ])],
  [VENDOR.Huawei, new Map<number, AttributeInfo>([
    [29, { name: 'Huawei-Exec-Privilege', kind: 'integer' }],
    [33, { name: 'Huawei-User-Password', kind: 'secret' }],
    [34, { name: 'Huawei-Command-Mode', kind: 'string' }],
  ])],
  [VENDOR.H3C, new Map<number, AttributeInfo>([
    [29, { name: 'H3C-Exec-Privilege', kind: 'integer', values: { 0: 'Visit', 1: 'Monitor', 2: 'System', 3: 'Manage' } }],
    [155, { name: 'H3C-User-Role', kind: 'string' }],
  ])],
  [VENDOR.Mikrotik, new Map<number, AttributeInfo>([
    [3, { name: 'Mikrotik-Group', kind: 'string' }],
    [7, { name: 'Mikrotik-Wireless-Enc-Key', kind: 'secret' }],
    [16, { name: 'Mikrotik-Wireless-PSK', kind: 'secret' }],
  ])],
  [VENDOR.Foundry, new Map<number, AttributeInfo>([
    [1, { name: 'Foundry-Privilege-Level', kind: 'integer' }],
    [2, { name: 'Foundry-Command-String', kind: 'string', command: true }],
  ])],
  // MS-CHAP responses and MPPE keys: secret material, never rendered.
  [VENDOR.Microsoft, new Map<number, AttributeInfo>([...MS_NAMED, ...MS_SECRETS.map(([t, name]): [number, AttributeInfo] => [t, { name, kind: 'secret' }])])],
]);

/**
 * Every standard attribute type (an octet) as `describe` names it, and each named vendor's
 * sub-attributes by type: read by index, every attribute of every request (rendering), instead of
 * looked up in a Map, and no object made for a type no dictionary names.
 */
const STANDARD_BY_TYPE: readonly AttributeInfo[] = Array.from({ length: 256 }, (_, type) => STANDARD.get(type) ?? { name: `Attr-${type}`, kind: 'unknown' });
const VENDOR_BY_TYPE: ReadonlyMap<number, ReadonlyArray<AttributeInfo | undefined>> = new Map(
  [...VENDOR_ATTRIBUTES].map(([vendor, types]) => [vendor, Array.from({ length: 256 }, (_, type) => types.get(type))]),
);

/** What an attribute is: its dictionary entry, or a name made of its numbers (`Attr-200`, `Vendor-14179-Attr-1`). */
export function describe(type: number, vendor: number | undefined, vendorType: number | undefined): AttributeInfo {
  if (vendor === undefined) return STANDARD_BY_TYPE[type]!;
  const known = vendorType === undefined ? undefined : VENDOR_BY_TYPE.get(vendor)?.[vendorType];
  if (known) return known;
  const who = VENDOR_NAMES[vendor] ?? `Vendor-${vendor}`;
  // A named vendor's attribute that did not split into sub-attributes is malformed (packet.ts): its
  // bytes may hold a command with a secret, which as hex the gate would not see. Not rendered.
  const unread = vendor === VENDOR.Microsoft || (vendorType === undefined && VENDOR_NAMES[vendor] !== undefined);
  return { name: vendorType === undefined ? `${who}-Specific` : `${who}-Attr-${vendorType}`, kind: unread ? 'secret' : 'unknown' };
}
