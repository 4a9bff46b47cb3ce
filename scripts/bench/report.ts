/** Prints the bench's figures as a plain-text table: one row per figure, its baseline and their ratio. */

export interface Row {
	figure: string;
	escale: string;
	baseline: string;
	ratio: string;
}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
export const perSecond = (count: number, ms: number) =>
	`${Math.round((count * 1000) / ms).toLocaleString('en-US')}/s`;
export const bytes = (count: number) => `${count.toFixed(1)} B`;
export const ratio = (value: number) => `${value.toFixed(2)}×`;

const HEADER: Row = { figure: 'figure', escale: 'Escale', baseline: 'baseline', ratio: 'ratio' };

/** `header` names the columns (Escale, baseline, ratio unless told). */
export function printTable(title: string, rows: Row[], header: Row = HEADER): void {
	const all = [header, ...rows];
	const width = (key: keyof Row) => Math.max(...all.map((row) => row[key].length));
	const keys: (keyof Row)[] = ['figure', 'escale', 'baseline', 'ratio'];
	const line = (row: Row) =>
		keys.map((key, i) => (i === 0 ? row[key].padEnd(width(key)) : row[key].padStart(width(key)))).join(' | ');
	console.log(`\n${title}\n`);
	console.log(line(header));
	console.log(keys.map((key) => '-'.repeat(width(key))).join('-|-'));
	for (const row of rows) console.log(line(row));
}
