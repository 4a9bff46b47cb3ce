import { describe, expect, it } from 'vitest';
import { createLogger, describeError, formatLine } from './log';

const time = new Date('2026-12-01T04:00:00.000Z');

describe('the server log', () => {
	it('writes one JSON object per line, with its time, level, event, message and fields', () => {
		const line = formatLine('json', 'info', 'store.opened', 'Escale store: postgres db/escale', {
			fields: { engine: 'postgres', schemaVersion: 1 },
			time
		});
		expect(line).not.toContain('\n');
		expect(JSON.parse(line)).toEqual({
			time: '2026-12-01T04:00:00.000Z',
			level: 'info',
			event: 'store.opened',
			message: 'Escale store: postgres db/escale',
			engine: 'postgres',
			schemaVersion: 1
		});
	});

	it("keeps an error's name, message, code and stack, never PostgreSQL's detail nor other fields", () => {
		const error = Object.assign(
			new Error('duplicate key value violates unique constraint "members_email_key"'),
			{
				code: '23505',
				detail: 'Key (email)=(marie.dupont@example.fr) already exists.',
				parameters: ['marie.dupont@example.fr']
			}
		);
		const described = describeError(error);
		expect(described).toMatchObject({ name: 'Error', code: '23505', message: error.message });
		expect(JSON.stringify(described)).not.toContain('marie.dupont');
		const lines: string[] = [];
		createLogger('json', { out: (l) => lines.push(l), err: (l) => lines.push(l) }).error(
			'sync.push.unexpected',
			'Escale sync push: unexpected Error',
			error
		);
		expect(lines).toHaveLength(1);
		expect(JSON.parse(lines[0] ?? '')).toMatchObject({ level: 'error', error: { code: '23505' } });
		expect(lines[0]).not.toContain('marie.dupont');
		expect(describeError('a string')).toEqual({ name: 'NonError', message: 'string' });
	});

	it('writes the message alone in text, and the stack after it for an error', () => {
		const out: string[] = [];
		const err: string[] = [];
		const logger = createLogger('text', { out: (l) => out.push(l), err: (l) => err.push(l) });
		logger.info('demo.seeded', 'Escale demo: 163 buses', { buses: 163 });
		logger.error('page.unexpected', 'Escale /: unexpected error', new TypeError('boom'));
		expect(out).toEqual(['Escale demo: 163 buses']);
		expect(err[0]).toMatch(/^Escale \/: unexpected error\nTypeError: boom\n {4}at /);
	});
});
