import { describe, expect, it } from 'vitest';
import { csvFields } from '../src/csv-fields.js';

describe('csvFields', () => {
  it('reads RFC 4180 quoting: commas and doubled quotes inside quotes, spaces around a quoted field', () => {
    expect(csvFields('r1,10.0.0.1,cisco-ios')).toEqual(['r1', '10.0.0.1', 'cisco-ios']);
    expect(csvFields('"a,b","say ""hi""",,last')).toEqual(['a,b', 'say "hi"', '', 'last']);
    expect(csvFields('r1, "core, west" ,x')).toEqual(['r1', 'core, west', 'x']);
    expect(csvFields(' plain , kept ')).toEqual([' plain ', ' kept ']);
  });

  it('is undefined for a quote left open (a field that goes on past the line) or text after a closing quote', () => {
    expect(csvFields('a,"open')).toBeUndefined();
    expect(csvFields('"closed"x,b')).toBeUndefined();
  });
});
