// The device inventory and pull settings (devices, credentials references, schedules). Inventory
// files (CSV or YAML) that pull.inventory names are read by src/pull/inventory-file.ts.

import cron from 'node-cron';
import { z } from 'zod';
import { canonicalAddress } from '../ingest/allow.js';
import { KNOWN } from '../pull/algorithms.js';
import { cidr, hostAddress, port, zone } from './fields.js';

const cronExpression = z.string().refine((v) => cron.validate(v), 'must be a cron expression, like "0 * * * *" (hourly)');
const seconds = z.number().positive().max(86_400);

/** Per-device SSH overrides: the quirks of one old or odd device, never a global downgrade. */
export const sshOverrideSchema = z
  .object({
    /** Offer the legacy algorithms (group14-sha1, gex-sha1, ssh-rsa, ssh-dss, aes-cbc, 3des-cbc, hmac-md5). */
    legacy: z.boolean().optional(),
    /** Individual algorithms to offer besides the defaults. */
    algorithms: z
      .object({
        kex: z.array(z.enum(KNOWN.kex)),
        cipher: z.array(z.enum(KNOWN.cipher)),
        serverHostKey: z.array(z.enum(KNOWN.serverHostKey)),
        hmac: z.array(z.enum(KNOWN.hmac)),
      })
      .partial()
      .strict()
      .optional(),
    timeouts: z.object({ connect: seconds, login: seconds, command: seconds, total: seconds }).partial().strict().optional(),
    /** `none` never sends `enable`; `plain` and `secret` send it when the prompt is unprivileged. */
    enable: z.enum(['none', 'plain', 'secret']).optional(),
  })
  .strict();

/** Log names a device may list: a box renamed a few times, not a directory of aliases. */
export const LOG_NAMES_MAX = 16;

export const deviceSchema = z
  .object({
    name: z.string().min(1).max(255),
    address: hostAddress,
    /** Addresses it sends syslog from besides `address` (a `logging source-interface` loopback): not a sender mismatch. */
    senders: z.array(cidr).optional(),
    /**
     * Other names it logs under (a FortiGate's `devname`, a hostname that differs from the inventory's):
     * its lines and records naming one are this device's, and the sender check holds them to its addresses.
     */
    logNames: z.array(z.string().min(1).max(255)).max(LOG_NAMES_MAX).optional(),
    platform: z.string().min(1),
    zone: zone.optional(),
    groups: z.array(z.string()).default([]),
    port: port.default(22),
    /** Name of an entry in pull.credentials or the credentials file; default pull.defaultCredential. */
    credential: z.string().min(1).optional(),
    /** Cron expression for this device's pulls, overriding its groups' and pull.schedule. */
    schedule: cronExpression.optional(),
    /** false: ingest its logs, never pull it. */
    pull: z.boolean().default(true),
    ssh: sshOverrideSchema.optional(),
  })
  .strict();

/** A secret named in the main configuration: by environment variable or file, never inline. */
export const secretReference = z.union([z.object({ env: z.string().min(1) }).strict(), z.object({ file: z.string().min(1) }).strict()], {
  error: 'a secret here is given by reference, never written in this file: { env: VARIABLE } or { file: /path/to/secret }',
});

export const credentialReferenceSchema = z
  .object({
    username: z.string().min(1),
    password: secretReference.optional(),
    enableSecret: secretReference.optional(),
    /** Private key file (mode 0600). */
    privateKey: z.string().min(1).optional(),
    passphrase: secretReference.optional(),
    /** Use ssh-agent: true for $SSH_AUTH_SOCK, or a socket path. */
    agent: z.union([z.boolean(), z.string().min(1)]).optional(),
  })
  .strict();

const timeouts = z
  .object({ connect: seconds.default(15), login: seconds.default(20), command: seconds.default(30), total: seconds.default(300) })
  .strict();

export const pullSchema = z
  .object({
    /** Default schedule (cron) for devices without their own or a group's. */
    schedule: cronExpression.default('0 * * * *'),
    /** Schedules per device group. */
    groups: z.record(z.string(), z.object({ schedule: cronExpression }).strict()).default({}),
    /** Each device starts up to this long after its schedule fires (a fixed offset per device). */
    jitterSeconds: z.number().int().min(0).max(3600).default(300),
    concurrency: z.number().int().min(1).max(1000).default(20),
    /** Further attempts within one run after a failure that may pass (not auth, host key, refused command). */
    retries: z.number().int().min(0).max(10).default(2),
    /** Wait before the first retry; doubled for each further one. */
    retryDelaySeconds: z.number().min(0).max(3600).default(30),
    /** Consecutive failed runs before a `pull-failed` finding. */
    failuresBeforeFinding: z.number().int().min(1).max(100).default(3),
    timeouts: timeouts.default(timeouts.parse({})),
    maxConfigBytes: z.number().int().min(1024).max(1 << 30).default(16 * 1024 * 1024),
    maxLineLength: z.number().int().min(80).max(16 * 1024 * 1024).default(64 * 1024),
    /** OpenSSH known_hosts file with keys checked by a person; its entries win over pinned keys. */
    knownHosts: z.string().min(1).optional(),
    /** YAML file of credentials, which may hold secrets inline; must be mode 0600. */
    credentialsFile: z.string().min(1).optional(),
    /** Credentials whose secrets come from the environment, files or ssh-agent. */
    credentials: z.record(z.string(), credentialReferenceSchema).default({}),
    defaultCredential: z.string().min(1).default('default'),
    /** Further devices, from a CSV or YAML file. */
    inventory: z.string().min(1).optional(),
    /** How long pull outcomes are kept (snapshots and accounts are kept). */
    runHistoryDays: z.number().int().min(1).default(90),
  })
  .strict();

export type DeviceConfig = z.infer<typeof deviceSchema>;

/** A log name that names another device too (its inventory name, or one of its log names): where, and why. */
export interface LogNameClash {
  /** The device's index in the list, and the log name's in its logNames. */
  device: number;
  logName: number;
  message: string;
}

/**
 * Log names that would name two devices: each must be no device's inventory name and no other
 * device's log name (compared without case, as ingest compares names). A device's own name among
 * its log names is harmless and passes.
 */
export function logNameClashes(devices: ReadonlyArray<Pick<DeviceConfig, 'name' | 'logNames'>>): LogNameClash[] {
  const names = new Map(devices.map((d, i) => [d.name.toLowerCase(), i]));
  const claimed = new Map<string, number>();
  const out: LogNameClash[] = [];
  devices.forEach((d, i) => {
    (d.logNames ?? []).forEach((n, j) => {
      const lower = n.toLowerCase();
      const named = names.get(lower);
      const other = claimed.get(lower);
      if (named !== undefined && named !== i) out.push({ device: i, logName: j, message: `is the name of device ${devices[named]!.name}` });
      else if (other !== undefined && other !== i) out.push({ device: i, logName: j, message: `is also a log name of device ${devices[other]!.name}` });
      else claimed.set(lower, i);
    });
  });
  return out;
}

/** A device given twice in one list: where (its index, and the key), and the earlier device's index. */
export interface DeviceRepeat {
  device: number;
  key: 'name' | 'address';
  earlier: number;
}

/**
 * Devices a list gives twice: a name again (without case, as ingest compares names), or an address
 * and port again, one box under two names: pulled twice, its accounts and findings twice, and its
 * address naming whichever came last. Boxes behind one address (a console server's ports) differ by port.
 */
export function deviceRepeats(devices: ReadonlyArray<Pick<DeviceConfig, 'name' | 'address' | 'port'>>): DeviceRepeat[] {
  const names = new Map<string, number>();
  const places = new Map<string, number>();
  const out: DeviceRepeat[] = [];
  devices.forEach((d, i) => {
    const name = d.name.toLowerCase();
    const place = `${canonicalAddress(d.address.toLowerCase())} port ${d.port}`;
    const earlierName = names.get(name);
    const earlierPlace = places.get(place);
    if (earlierName !== undefined) out.push({ device: i, key: 'name', earlier: earlierName });
    else names.set(name, i);
    if (earlierPlace !== undefined) out.push({ device: i, key: 'address', earlier: earlierPlace });
    else places.set(place, i);
  });
  return out;
}

/** What a repeat says; `where` names an earlier device's key as the list's reader finds it (`devices[0].name`, `line 2's address`). */
export function repeatMessage(r: DeviceRepeat, devices: ReadonlyArray<Pick<DeviceConfig, 'name' | 'address' | 'port'>>, where: (device: number, key: DeviceRepeat['key']) => string): string {
  const d = devices[r.device]!;
  if (r.key === 'name') return `duplicate of ${where(r.earlier, 'name')}`;
  return `${d.address} (port ${d.port}) is also ${where(r.earlier, 'address')} (${devices[r.earlier]!.name}): one device listed twice under two names? A name it logs under goes in logNames, an address another device sends from in that one's senders`;
}

/** A list of devices whose log names each name one device only, every clash at its key's path (file, line, key). */
export const deviceListSchema = z.array(deviceSchema).superRefine((devices, ctx) => {
  for (const c of logNameClashes(devices)) ctx.addIssue({ code: 'custom', path: [c.device, 'logNames', c.logName], message: c.message });
});
export type PullConfig = z.infer<typeof pullSchema>;
