import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvField, toCsv, type CsvValue } from './csv';
import { readCsv } from './test-support';

describe('csvField', () => {
	it('quotes only fields with a comma, a quote, CR or LF, doubling quotes', () => {
		expect(csvField('Place de la mairie')).toBe('Place de la mairie');
		expect(csvField('Mairie, salle du conseil')).toBe('"Mairie, salle du conseil"');
		expect(csvField('Salle « Jean » "annexe"')).toBe('"Salle « Jean » ""annexe"""');
		expect(csvField('ligne 1\nligne 2')).toBe('"ligne 1\nligne 2"');
		expect(csvField('a\rb')).toBe('"a\rb"');
		expect(csvField(null)).toBe('');
		expect(csvField(true)).toBe('true');
		expect(csvField(49.318)).toBe('49.318');
	});
});

describe('toCsv', () => {
	it('writes a header row and CRLF after every record, without byte order mark', () => {
		const text = toCsv(
			[
				{ name: 'id', value: (row: { id: string; n: number | null }) => row.id },
				{ name: 'n', value: (row) => row.n }
			],
			[
				{ id: 'a', n: 1 },
				{ id: 'b,c', n: null }
			]
		);
		expect(text).toBe('id,n\r\na,1\r\n"b,c",\r\n');
		expect(text.charCodeAt(0)).not.toBe(0xfeff);
	});

	it('reads back exactly what it wrote, whatever the text', () => {
		const value: fc.Arbitrary<CsvValue> = fc.oneof(
			fc.string({ unit: 'grapheme', maxLength: 30 }),
			fc.constantFrom('"', ',', '\r\n', '\n', '\r', '""', ' , '),
			fc.constant(null)
		);
		fc.assert(
			fc.property(fc.array(fc.tuple(value, value), { maxLength: 10 }), (pairs) => {
				const columns = [
					{ name: 'a', value: (row: [CsvValue, CsvValue]) => row[0] },
					{ name: 'b', value: (row: [CsvValue, CsvValue]) => row[1] }
				];
				const rows = readCsv(toCsv(columns, pairs));
				expect(rows[0]).toEqual(['a', 'b']);
				expect(rows.slice(1)).toEqual(
					pairs.map(([a, b]) => [a === null ? '' : String(a), b === null ? '' : String(b)])
				);
			}),
			{ numRuns: 300 }
		);
	});
});
