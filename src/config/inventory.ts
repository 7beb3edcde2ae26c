// The device inventory and pull settings (devices, credentials references, schedules).

import { z } from 'zod';
import { zone } from './fields.js';

export const deviceSchema = z
  .object({
    name: z.string().min(1).max(255),
    address: z.string().min(1),
    platform: z.string().min(1),
    zone: zone.optional(),
    groups: z.array(z.string()).default([]),
  })
  .strict();

export const pullSchema = z.object({}).strict();

export type DeviceConfig = z.infer<typeof deviceSchema>;
