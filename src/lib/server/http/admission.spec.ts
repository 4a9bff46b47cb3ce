import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createAdmission } from '../../../../scripts/admission.js';

const tablet = { headers: { authorization: 'Bearer dev-1.secret' } } as unknown as IncomingMessage;
const person = { headers: {} } as unknown as IncomingMessage;
const loopTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('admission (scripts/serve.js)', () => {
	it('lets tablets in a few at each turn of the event loop, in the order they came', async () => {
		const admit = createAdmission(8);
		const order: number[] = [];
		for (let i = 0; i < 20; i++) admit(tablet, () => order.push(i));
		expect(order).toEqual([]);
		await loopTurn();
		expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
		await loopTurn();
		expect(order).toHaveLength(16);
		await loopTurn();
		expect(order).toEqual(Array.from({ length: 20 }, (_, i) => i));
	});

	it('lets a person in at once, and serves what arrives between two groups of tablets before the next', async () => {
		const admit = createAdmission(2);
		const order: string[] = [];
		for (let i = 0; i < 4; i++) {
			admit(tablet, () => {
				order.push(`tablet ${i}`);
				// A resident's page arriving while the first group runs: in before the next group.
				if (i === 0) setImmediate(() => admit(person, () => order.push('person')));
			});
		}
		admit(person, () => order.push('person first'));
		expect(order).toEqual(['person first']);
		await loopTurn();
		await loopTurn();
		await loopTurn();
		expect(order).toEqual(['person first', 'tablet 0', 'tablet 1', 'person', 'tablet 2', 'tablet 3']);
	});

	it('starts again when tablets come after the queue has emptied', async () => {
		const admit = createAdmission(8);
		const order: number[] = [];
		admit(tablet, () => order.push(1));
		await loopTurn();
		admit(tablet, () => order.push(2));
		await loopTurn();
		expect(order).toEqual([1, 2]);
	});
});
