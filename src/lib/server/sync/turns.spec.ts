import { describe, expect, it } from 'vitest';
import { Turns } from './turns';

/** A piece of work that stays running until `finish()`. */
function held() {
	let finish = () => {};
	const done = new Promise<void>((resolve) => (finish = resolve));
	return { finish, work: () => done };
}

describe('Turns', () => {
	it('runs at most `size` pieces of work at once, the others in the order they came', async () => {
		const turns = new Turns(2);
		const started: number[] = [];
		const pieces = [0, 1, 2, 3].map(() => held());
		const runs = pieces.map((piece, i) =>
			turns.take(async () => {
				started.push(i);
				await piece.work();
				return i;
			})
		);
		await new Promise((resolve) => setImmediate(resolve));
		expect(started).toEqual([0, 1]);
		pieces[1]!.finish();
		await runs[1];
		await new Promise((resolve) => setImmediate(resolve));
		expect(started).toEqual([0, 1, 2]);
		pieces[0]!.finish();
		pieces[2]!.finish();
		pieces[3]!.finish();
		expect(await Promise.all(runs)).toEqual([0, 1, 2, 3]);
		expect(started).toEqual([0, 1, 2, 3]);
	});

	it('hands the turn on when a piece of work throws', async () => {
		const turns = new Turns(1);
		const failing = turns.take(async () => {
			throw new Error('refused');
		});
		const next = turns.take(async () => 'ran');
		await expect(failing).rejects.toThrow('refused');
		expect(await next).toBe('ran');
	});

	it('lets what came in meanwhile run before the next turn', async () => {
		const turns = new Turns(1);
		const order: string[] = [];
		const first = turns.take(async () => {
			// A request arriving while the first push runs: an I/O callback, after this turn.
			setImmediate(() => order.push('request'));
			order.push('push 1');
		});
		const second = turns.take(async () => void order.push('push 2'));
		await Promise.all([first, second]);
		expect(order).toEqual(['push 1', 'request', 'push 2']);
	});
});
