// Every platform aaawatch knows. Adding a vendor means adding its folder here and nothing in src/.

import type { Platform } from '../src/types.js';

export const platforms: readonly Platform[] = [];

export function platformById(id: string): Platform | undefined {
  return platforms.find((p) => p.id === id);
}
