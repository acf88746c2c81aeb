import { OptionError } from '@solvscope/core';

/** A column: a key of the row, or a header with a getter. */
export type CsvColumn<Row> = (keyof Row & string) | { header: string; value: (row: Row) => unknown };

export interface CsvOptions {
  /** Line ending (default `\n`; RFC 4180 strictly asks for `\r\n`). */
  eol?: '\n' | '\r\n';
}

/**
 * Print one cell. Numbers keep full precision (`String(x)`, the shortest text that reads back
 * as the same double); NaN, null and undefined are empty; ±Infinity are `inf`/`-inf` (read
 * by pandas and R); booleans are `true`/`false`; objects are JSON. Text is quoted per
 * RFC 4180 when it holds a comma, a double quote, CR or LF, or begins or ends with a space;
 * quotes inside are doubled.
 */
export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return '';
    if (v === Infinity) return 'inf';
    if (v === -Infinity) return '-inf';
    return String(v);
  }
  if (typeof v === 'bigint') return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * A CSV table with a header row. Columns are row keys, or `{header, value}` for computed
 * columns. Every line, the last included, ends with the line ending.
 *
 * @throws OptionError when there are no columns or two columns share a header.
 */
export function toCsv<Row>(rows: readonly Row[], columns: readonly CsvColumn<Row>[], options: CsvOptions = {}): string {
  if (!columns.length) throw new OptionError('OPTION', 'toCsv: columns must name at least one column', { option: 'columns' });
  const eol = options.eol ?? '\n';
  const headers = columns.map((c) => (typeof c === 'string' ? c : c.header));
  const seen = new Set<string>();
  for (const h of headers) {
    if (seen.has(h)) throw new OptionError('OPTION', `toCsv: column "${h}" appears twice`, { option: 'columns' });
    seen.add(h);
  }
  const get = columns.map((c) => (typeof c === 'string' ? (r: Row) => (r as Record<string, unknown>)[c] : c.value));
  let out = headers.map(csvCell).join(',') + eol;
  for (const r of rows) out += get.map((g) => csvCell(g(r))).join(',') + eol;
  return out;
}

/**
 * Parse RFC 4180 CSV (quoted fields with doubled quotes, embedded commas and line breaks;
 * CRLF or LF line endings) into rows of strings. A trailing line ending does not make an
 * empty last row.
 *
 * @throws OptionError on an unterminated quoted field or text after a closing quote.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quotedField = false;
  const n = text.length;
  const endField = () => {
    row.push(field);
    field = '';
    quotedField = false;
  };
  while (i < n) {
    const c = text[i];
    if (c === '"' && field === '' && !quotedField) {
      quotedField = true;
      i++;
      for (;;) {
        if (i >= n) throw new OptionError('OPTION', `parseCsv: unterminated quoted field in row ${rows.length + 1}`);
        const q = text[i];
        if (q === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
          } else {
            i++;
            break;
          }
        } else {
          field += q;
          i++;
        }
      }
      const next = text[i];
      if (i < n && next !== ',' && next !== '\n' && next !== '\r') {
        throw new OptionError('OPTION', `parseCsv: text after a closing quote in row ${rows.length + 1}`);
      }
      continue;
    }
    if (c === ',') {
      endField();
      i++;
    } else if (c === '\n' || c === '\r') {
      endField();
      rows.push(row);
      row = [];
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      field += c;
      i++;
    }
  }
  if (field !== '' || quotedField || row.length) {
    endField();
    rows.push(row);
  }
  return rows;
}
