/**
 * A small RFC 4180 reader (csv-parse is not among the project's dependencies): comma-separated
 * fields, fields in double quotes may hold commas, line breaks and doubled quotes (""), records
 * end in CRLF or LF. A UTF-8 byte-order mark at the start is skipped. Each record carries the line
 * it starts on, so problems can name it.
 */

export interface CsvRecord {
  /** 1-based line of the file the record starts on (the header is line 1). */
  line: number;
  fields: string[];
}

export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

/** Every record of a CSV text, header included; blank lines are skipped. */
export function* readCsv(text: string): Generator<CsvRecord> {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  let line = 1;
  while (i < n) {
    const startLine = line;
    const fields: string[] = [];
    let field = '';
    let endOfRecord = false;
    while (!endOfRecord) {
      if (i < n && text.charCodeAt(i) === 34 /* " */) {
        i++;
        let chunkStart = i;
        for (;;) {
          const quote = text.indexOf('"', i);
          if (quote < 0) throw new CsvSyntaxError(startLine, 'a quoted field is not closed');
          for (let k = i; k < quote; k++) if (text.charCodeAt(k) === 10) line++;
          if (text.charCodeAt(quote + 1) === 34) {
            field += text.slice(chunkStart, quote + 1);
            i = chunkStart = quote + 2;
            continue;
          }
          field += text.slice(chunkStart, quote);
          i = quote + 1;
          break;
        }
        const c = text.charCodeAt(i);
        if (i < n && c !== 44 && c !== 10 && c !== 13)
          throw new CsvSyntaxError(line, 'a quoted field must be followed by a comma or the end of the line');
      } else {
        const start = i;
        while (i < n) {
          const c = text.charCodeAt(i);
          if (c === 44 || c === 10 || c === 13) break;
          if (c === 34)
            throw new CsvSyntaxError(
              line,
              'a quote inside an unquoted field (quote the whole field and double the quote)',
            );
          i++;
        }
        field = text.slice(start, i);
      }
      fields.push(field);
      field = '';
      if (i >= n) endOfRecord = true;
      else if (text.charCodeAt(i) === 44) i++;
      else {
        if (text.charCodeAt(i) === 13) i++;
        if (text.charCodeAt(i) === 10) i++;
        line++;
        endOfRecord = true;
      }
    }
    if (fields.length === 1 && fields[0] === '') continue;
    yield { line: startLine, fields };
  }
}
