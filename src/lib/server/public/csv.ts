/**
 * CSV text (RFC 4180): a header row, CRLF line ends, a field quoted only when it holds a comma, a double
 * quote, CR or LF (quotes doubled inside). UTF-8 without byte order mark. Null is an empty field, booleans
 * are `true` / `false`, numbers as JavaScript writes them (a dot for decimals).
 */

export type CsvValue = string | number | boolean | null;

export interface CsvColumn<Row> {
	name: string;
	value: (row: Row) => CsvValue;
}

export function csvField(value: CsvValue): string {
	if (value === null) return '';
	const text = typeof value === 'string' ? value : String(value);
	return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv<Row>(columns: readonly CsvColumn<Row>[], rows: readonly Row[]): string {
	const lines = [columns.map((column) => csvField(column.name)).join(',')];
	for (const row of rows) lines.push(columns.map((column) => csvField(column.value(row))).join(','));
	return lines.join('\r\n') + '\r\n';
}
