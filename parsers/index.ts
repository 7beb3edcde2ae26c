// Every platform aaawatch knows. Adding a vendor means adding its folder here and nothing in src/.

import { aristaEos } from './arista-eos/index.js';
import { ciscoAsa } from './cisco-asa/index.js';
import { ciscoIos } from './cisco-ios/index.js';
import { ciscoIosxr } from './cisco-iosxr/index.js';
import { ciscoNxos } from './cisco-nxos/index.js';
import { fortinetFortios } from './fortinet-fortios/index.js';
import { huaweiVrp } from './huawei-vrp/index.js';
import { juniperJunos } from './juniper-junos/index.js';
import { mikrotikRouteros } from './mikrotik-routeros/index.js';
import { paloaltoPanos } from './paloalto-panos/index.js';
import { awsCloudtrail } from './aws-cloudtrail/index.js';
import { azureEntra } from './azure-entra/index.js';
import { ciscoIse } from './cisco-ise/index.js';
import { falco } from './falco/index.js';
import { freeradius } from './freeradius/index.js';
import { linux } from './linux/index.js';
import { tacPlus } from './tac-plus/index.js';
import { windows } from './windows/index.js';
import type { Platform } from '../src/types.js';

export const platforms: readonly Platform[] = [
  ciscoIos,
  ciscoNxos,
  ciscoAsa,
  ciscoIosxr,
  aristaEos,
  juniperJunos,
  fortinetFortios,
  paloaltoPanos,
  mikrotikRouteros,
  huaweiVrp,
  ciscoIse,
  tacPlus,
  freeradius,
  linux,
  windows,
  falco,
  awsCloudtrail,
  azureEntra,
];

export function platformById(id: string): Platform | undefined {
  return platforms.find((p) => p.id === id);
}
