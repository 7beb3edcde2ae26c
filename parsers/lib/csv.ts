// One CSV record (PAN-OS syslog): fields separated by commas, a field in double quotes may hold
// commas, and `""` inside quotes is one quote. Bounded to `maxFields`; the rest of a longer line is
// left in the last field.

export function splitCsv(line: string, maxFields = 80): string[] {
  const out: string[] = [];
  let i = 0;
  const n = line.length;
  while (out.length < maxFields - 1 && i <= n) {
    if (line.charCodeAt(i) === 34) {
      let v = '';
      let run = i + 1;
      let j = i + 1;
      while (j < n) {
        if (line.charCodeAt(j) === 34) {
          if (line.charCodeAt(j + 1) === 34) {
            v += line.slice(run, j + 1);
            j += 2;
            run = j;
            continue;
          }
          break;
        }
        j++;
      }
      v += line.slice(run, j);
      out.push(v);
      const comma = line.indexOf(',', j);
      if (comma < 0) return out;
      i = comma + 1;
    } else {
      const comma = line.indexOf(',', i);
      if (comma < 0) {
        out.push(line.slice(i));
        return out;
      }
      out.push(line.slice(i, comma));
      i = comma + 1;
    }
  }
  if (i <= n) out.push(line.slice(i));
  return out;
}
