/** Excel reads a UTF-8 file as UTF-8 only when it starts with a byte order mark. */
export const BOM = '\uFEFF';

/**
 * One RFC 4180 field: quoted when it holds a comma, quote or line break,
 * with quotes doubled. A cell a person typed that starts like a formula
 * (= + - @, tab, CR) gets a leading apostrophe, so Excel shows it as text
 * instead of running it (OWASP "CSV injection").
 */
export function csvField(value: string | number | undefined): string {
  let s = value === undefined ? '' : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Header and rows joined with CRLF, as RFC 4180 asks, behind a BOM. */
export function toCsv(header: string[], rows: (string | number | undefined)[][]): string {
  return BOM + [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}
