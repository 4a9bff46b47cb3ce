import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { getDemoMember, getDemoEnrollmentCodes, getStore, startServer, stopServer } from './app';
import { verifyPassword } from './auth/members';
import type { ServerConfig } from './config';
import { makeBus } from '$factories/bus';
import { openTestStore } from '$factories/store';

const inMemory = (seedDemo: boolean): ServerConfig => ({
	dataDir: '',
	database: { engine: 'sqlite', file: ':memory:' },
	seedDemo
});

const silent = () => {};

let dir: string | null = null;
afterEach(async () => {
	await stopServer();
	if (dir) rmSync(dir, { recursive: true, force: true });
	dir = null;
});

describe('the server start', () => {
	it('opens one store, seeds the demo and hands the same store to every caller', async () => {
		const [a, b] = await Promise.all([
			startServer(inMemory(true), silent),
			startServer(inMemory(true), silent)
		]);

		expect(a).toBe(b);
		expect(getStore()).toBe(a);
		expect(await getStore().buses.count()).toBe(163);
	});

	it('leaves the database empty with the demo off', async () => {
		await startServer(inMemory(false), silent);
		expect(await getStore().buses.count()).toBe(0);
		expect(await getDemoEnrollmentCodes(getStore())).toEqual([]);
		expect(getDemoMember()).toBeNull();
		expect(await getStore().members.getByEmail('coordination@demo.escale.fr')).toBeNull();
	});

	it('creates the demo coordinator with the configured password and prints the sign-in', async () => {
		const lines: string[] = [];
		await startServer({ ...inMemory(true), demoPassword: 'mot-de-passe-demo' }, (_event, line) =>
			lines.push(line)
		);
		expect(getDemoMember()).toEqual({
			email: 'coordination@demo.escale.fr',
			password: 'mot-de-passe-demo'
		});
		expect(
			await verifyPassword(getStore(), 'coordination@demo.escale.fr', 'mot-de-passe-demo')
		).not.toBeNull();
		expect(lines.some((line) => line.includes('coordination@demo.escale.fr / mot-de-passe-demo'))).toBe(true);
	});

	it('issues and prints one demo enrollment code per bus that has a circuit', async () => {
		const lines: string[] = [];
		await startServer(inMemory(true), (_event, line) => lines.push(line));

		const codes = await getDemoEnrollmentCodes(getStore());
		const withCircuit = [];
		for (const bus of await getStore().buses.list()) {
			if ((await getStore().circuits.listByBus(bus.id)).length > 0) withCircuit.push(bus.id);
		}
		expect(codes.map((code) => code.busId)).toEqual(withCircuit);
		expect(withCircuit.length).toBeGreaterThan(0);
		for (const { code } of codes) {
			expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
			expect(lines.some((line) => line.includes(code))).toBe(true);
		}
		expect((await getStore().syncStats.countRows()).enrollment_codes).toBe(codes.length);
	});

	it('never seeds the demo into a database that already holds real buses', async () => {
		dir = mkdtempSync(join(tmpdir(), 'escale-app-'));
		const file = join(dir, 'escale.sqlite');
		const existing = await openTestStore({
			file,
			seed: (store) =>
				store.buses.upsertMany([makeBus({ id: 'real-1', anctId: '9999', name: 'Bus du pays' })])
		});
		await existing.close();

		await startServer({ dataDir: dir, database: { engine: 'sqlite', file }, seedDemo: true }, silent);

		expect(await getStore().buses.count()).toBe(1);
	});
});
