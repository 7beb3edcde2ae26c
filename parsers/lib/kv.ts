// `key=value key="quoted value"` lines (FortiOS and FortiAnalyzer event logs), read into a map
// with no prototype so a hostile `__proto__=` key is just a key. Bounded: at most `maxPairs` pairs.

export function readKeyValues(text: string, maxPairs = 200): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  let i = 0;
  let pairs = 0;
  const n = text.length;
  while (i < n && pairs < maxPairs) {
    while (i < n && text.charCodeAt(i) === 32) i++;
    const keyStart = i;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 61 || c === 32) break;
      i++;
    }
    if (i >= n || text.charCodeAt(i) !== 61 || i === keyStart) {
      // Not a key=value token: skip it.
      while (i < n && text.charCodeAt(i) !== 32) i++;
      continue;
    }
    const key = text.slice(keyStart, i);
    i++;
    let value: string;
    if (text.charCodeAt(i) === 34) {
      i++;
      let v = '';
      let run = i;
      while (i < n && text.charCodeAt(i) !== 34) {
        if (text.charCodeAt(i) === 92 && i + 1 < n) {
          v += text.slice(run, i);
          run = i + 1;
          i += 2;
          continue;
        }
        i++;
      }
      value = v + text.slice(run, i);
      i++;
    } else {
      const start = i;
      while (i < n && text.charCodeAt(i) !== 32) i++;
      value = text.slice(start, i);
    }
    out[key] = value;
    pairs++;
  }
  return out;
}
