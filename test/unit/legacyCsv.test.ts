import { describe, expect, it } from 'vitest';
import { readCsv } from '../../services/legacyImport/csv.js';

const read = (text: string) => [...readCsv(text)];

describe('the RFC 4180 reader', () => {
  it('reads plain fields and numbers records by their first line', () => {
    expect(read('a,b\r\n1,2\n3,\n')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', '2'] },
      { line: 3, fields: ['3', ''] },
    ]);
  });

  it('keeps commas, doubled quotes and line breaks inside quoted fields, and counts the lines they span', () => {
    expect(read('name,note\n"Smith, Jo","said ""hi""\nthen left"\nnext,x')).toEqual([
      { line: 1, fields: ['name', 'note'] },
      { line: 2, fields: ['Smith, Jo', 'said "hi"\nthen left'] },
      { line: 4, fields: ['next', 'x'] },
    ]);
  });

  it('skips a byte-order mark and blank lines', () => {
    expect(read('\ufeffa\n\n b \n')).toEqual([
      { line: 1, fields: ['a'] },
      { line: 3, fields: [' b '] },
    ]);
  });

  it('refuses an unclosed quote and a stray quote, naming the line', () => {
    expect(() => read('a\n"open')).toThrow('line 2: a quoted field is not closed');
    expect(() => read('a\nx"y')).toThrow('line 2: a quote inside an unquoted field');
    expect(() => read('a\n"x"y')).toThrow('line 2: a quoted field must be followed by a comma');
  });
});
