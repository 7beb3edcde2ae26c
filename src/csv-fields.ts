// One line of CSV read into its fields, for the CSV files aaawatch reads: inventory files
// (src/pull/inventory-file.ts) and Windows events saved as CSV (src/ingest/event-csv-file.ts).

/**
 * The fields of one CSV line (RFC 4180: a field in quotes may hold commas, and `""` is a quote in
 * it; spaces around a quoted field, as hand-written files have them, are let be), or undefined when
 * a quote is left open or text follows a closing one: a row whose quoted field goes on past the
 * line, or no CSV. Unquoted fields are as written (their spaces kept).
 */
export function csvFields(line: string): string[] | undefined {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    let open = i;
    while (line[open] === ' ' || line[open] === '\t') open++;
    if (line[open] === '"') {
      let value = '';
      i = open + 1;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) return undefined;
        value += line.slice(i, q);
        if (line[q + 1] === '"') {
          value += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      while (line[i] === ' ' || line[i] === '\t') i++;
      out.push(value);
    } else {
      const comma = line.indexOf(',', i);
      out.push(line.slice(i, comma < 0 ? undefined : comma));
      i = comma < 0 ? line.length : comma;
    }
    if (i >= line.length) return out;
    if (line[i] !== ',') return undefined;
    i++;
  }
}
