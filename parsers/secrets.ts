// Every secret grammar aaawatch knows: each platform's (parsers/<platform>/secrets.ts) and the
// generic one. Adding a vendor with secrets means adding its grammar here, beside parsers/index.ts.

import { arubaAosSecrets } from './aruba-aos/secrets.js';
import { aoscxSecrets } from './aruba-aoscx/secrets.js';
import { asaSecrets } from './cisco-asa/secrets.js';
import { ftdSecrets } from './cisco-ftd/secrets.js';
import { ciscoSecrets } from './cisco-ios/secrets.js';
import { fmgSecrets } from './fortinet-fortimanager/secrets.js';
import { fortiosSecrets } from './fortinet-fortios/secrets.js';
import { radiusSecrets } from './freeradius/secrets.js';
import { comwareSecrets } from './h3c-comware/secrets.js';
import { vrpSecrets } from './huawei-vrp/secrets.js';
import { junosSecrets } from './juniper-junos/secrets.js';
import { genericSecrets } from './lib/secrets/generic.js';
import type { SecretGrammar } from './lib/secrets/grammar.js';
import { linuxSecrets } from './linux/secrets.js';
import { routerosSecrets } from './mikrotik-routeros/secrets.js';
import { cumulusSecrets } from './nvidia-cumulus/secrets.js';
import { panosSecrets } from './paloalto-panos/secrets.js';
import { pfsenseSecrets } from './pfsense/secrets.js';
import { sonicosSecrets } from './sonicwall-sonicos/secrets.js';
import { tacPlusSecrets } from './tac-plus/secrets.js';
import { vyosSecrets } from './vyos/secrets.js';
import { windowsSecrets } from './windows/secrets.js';

/**
 * Each platform's grammar by platform id. Platforms of one family share one (the Cisco-syntax
 * CLIs); a platform whose text holds no secret form of its own (CloudTrail, Entra ID: JSON, which
 * the generic grammar reads) has none.
 */
export const platformGrammars: Readonly<Record<string, SecretGrammar>> = {
  'cisco-ios': ciscoSecrets,
  'cisco-nxos': ciscoSecrets,
  'arista-eos': ciscoSecrets,
  'cisco-iosxr': ciscoSecrets,
  'cisco-asa': [...ciscoSecrets, ...asaSecrets],
  'cisco-ftd': ftdSecrets,
  'juniper-junos': junosSecrets,
  'fortinet-fortios': fortiosSecrets,
  'paloalto-panos': panosSecrets,
  'mikrotik-routeros': routerosSecrets,
  'huawei-vrp': vrpSecrets,
  'h3c-comware': comwareSecrets,
  'aruba-aos': arubaAosSecrets,
  'aruba-aoscx': aoscxSecrets,
  'fortinet-fortimanager': [...fortiosSecrets, ...fmgSecrets],
  vyos: vyosSecrets,
  pfsense: pfsenseSecrets,
  'nvidia-cumulus': cumulusSecrets,
  'sonicwall-sonicos': sonicosSecrets,
  'cisco-ise': ciscoSecrets,
  'tac-plus': [...ciscoSecrets, ...tacPlusSecrets],
  freeradius: radiusSecrets,
  linux: linuxSecrets,
  falco: linuxSecrets,
  windows: windowsSecrets,
};

export const grammars: readonly SecretGrammar[] = [genericSecrets, ...Object.values(platformGrammars)];
