import { describe, expect, it } from 'vitest';
import { validateCircuit } from './circuit';
import type { Circuit, CircuitRule } from './schedule';

function validRule(overrides: Partial<CircuitRule> = {}): CircuitRule {
	return {
		id: 'indre-tue',
		stopId: 'stop-mairie',
		recurrence: { kind: 'weekly', weekdays: [2] },
		window: { start: '09:00', end: '12:00' },
		validFrom: '2026-01-05',
		validUntil: '2026-12-31',
		exceptDates: [],
		...overrides
	};
}

function circuitWith(...rules: CircuitRule[]): Circuit {
	return { id: 'circuit-1', busId: 'fs-36', name: 'Boischaut Sud', rules };
}

/** Paths of the problems found, for compact assertions. */
function problemPaths(circuit: unknown): string[] {
	return validateCircuit(circuit as Circuit).map((issue) => issue.path);
}

describe('validateCircuit', () => {
	it('finds nothing wrong with a valid circuit of every recurrence kind', () => {
		const circuit = circuitWith(
			validRule({ id: 'a' }),
			validRule({ id: 'b', recurrence: { kind: 'isoWeekParity', parity: 'even', weekdays: [1, 4] } }),
			validRule({ id: 'c', recurrence: { kind: 'nthWeekdayOfMonth', weekday: 2, nths: [1, 3, -1] } }),
			validRule({
				id: 'd',
				recurrence: { kind: 'everyNWeeks', interval: 4, anchor: '2026-01-05', weekdays: [5] }
			}),
			validRule({
				id: 'e',
				recurrence: { kind: 'dates', dates: ['2026-02-10', '2026-07-14'] },
				validUntil: null
			})
		);
		expect(validateCircuit(circuit)).toEqual([]);
	});

	it('says, in French and on the end field, when the window ends before it starts', () => {
		const issues = validateCircuit(circuitWith(validRule({ window: { start: '14:00', end: '12:00' } })));
		expect(issues).toEqual([
			{ path: 'rules.0.window.end', message: "L'heure de fin doit être après l'heure de début" }
		]);
	});

	it('refuses an empty window and malformed times', () => {
		expect(problemPaths(circuitWith(validRule({ window: { start: '09:00', end: '09:00' } })))).toEqual([
			'rules.0.window.end'
		]);
		expect(problemPaths(circuitWith(validRule({ window: { start: '9h', end: '12:00' } })))).toEqual([
			'rules.0.window.start'
		]);
	});

	it('refuses a validity that ends before it starts', () => {
		expect(
			problemPaths(circuitWith(validRule({ validFrom: '2026-06-01', validUntil: '2026-05-31' })))
		).toEqual(['rules.0.validUntil']);
	});

	it('refuses an interval below one week or not whole', () => {
		for (const interval of [0, -2, 1.5]) {
			const rule = validRule({
				recurrence: { kind: 'everyNWeeks', interval, anchor: '2026-01-05', weekdays: [1] }
			});
			expect(problemPaths(circuitWith(rule)), String(interval)).toEqual(['rules.0.recurrence.interval']);
		}
	});

	it('refuses empty or invalid weekday lists and ranks', () => {
		expect(problemPaths(circuitWith(validRule({ recurrence: { kind: 'weekly', weekdays: [] } })))).toEqual([
			'rules.0.recurrence.weekdays'
		]);
		const badDay = { kind: 'weekly', weekdays: [8] } as unknown as CircuitRule['recurrence'];
		expect(problemPaths(circuitWith(validRule({ recurrence: badDay })))).toEqual([
			'rules.0.recurrence.weekdays.0'
		]);
		expect(
			problemPaths(
				circuitWith(validRule({ recurrence: { kind: 'nthWeekdayOfMonth', weekday: 2, nths: [] } }))
			)
		).toEqual(['rules.0.recurrence.nths']);
	});

	it('refuses a date that does not exist, such as 2027-02-29', () => {
		const rule = validRule({ recurrence: { kind: 'dates', dates: ['2027-02-29'] }, validUntil: null });
		expect(validateCircuit(circuitWith(rule))).toEqual([
			{
				path: 'rules.0.recurrence.dates.0',
				message: 'Date attendue au format AAAA-MM-JJ (une date qui existe)'
			}
		]);
	});

	it('refuses listed dates outside the validity and an empty list', () => {
		const outside = validRule({ recurrence: { kind: 'dates', dates: ['2027-03-02'] } });
		expect(problemPaths(circuitWith(outside))).toEqual(['rules.0.recurrence']);
		const empty = validRule({ recurrence: { kind: 'dates', dates: [] } });
		expect(problemPaths(circuitWith(empty))).toEqual(['rules.0.recurrence.dates']);
	});

	it('refuses two rules with the same id, since service day ids derive from it', () => {
		expect(problemPaths(circuitWith(validRule(), validRule()))).toEqual(['rules']);
	});

	it('refuses a rule id with @, which separates rule and date in service day ids', () => {
		expect(problemPaths(circuitWith(validRule({ id: 'a@b' })))).toEqual(['rules.0.id']);
	});

	it('refuses an unknown recurrence kind and unknown keys', () => {
		const unknownKind = { kind: 'monthly', day: 3 } as unknown as CircuitRule['recurrence'];
		expect(problemPaths(circuitWith(validRule({ recurrence: unknownKind })))).toEqual([
			'rules.0.recurrence.kind'
		]);
		// The path stops at the object holding the key: a key the schema does not know could be a name.
		expect(problemPaths({ ...circuitWith(validRule()), colour: 'red' })).toEqual(['']);
	});

	it('refuses a blank name', () => {
		expect(problemPaths({ ...circuitWith(validRule()), name: '   ' })).toEqual(['name']);
	});
});
