import { describe, expect, it } from 'vitest';
import { coordinationHome, safeNextPath, signInPath } from './next-path';

describe('the path after sign-in (?suite=)', () => {
	it('keeps a path of the coordination area, in either language, with its query', () => {
		expect(safeNextPath('/coordination')).toBe('/coordination');
		expect(safeNextPath('/coordination/orientations?status=open')).toBe(
			'/coordination/orientations?status=open'
		);
		expect(safeNextPath('/en/coordination/orientations')).toBe('/en/coordination/orientations');
	});

	it('never follows another site, a scheme or a trick that browsers read as one', () => {
		for (const raw of [
			'https://evil.example/coordination',
			'//evil.example/coordination',
			'/\\evil.example/coordination',
			'\\\\evil.example',
			'javascript:alert(1)',
			'/coordination\n//evil.example',
			'\t//evil.example',
			'coordination',
			'',
			null,
			undefined,
			`/coordination/${'x'.repeat(600)}`
		]) {
			expect(safeNextPath(raw)).toBe('/coordination');
		}
	});

	it('stays in the coordination area and never loops back to the sign-in page', () => {
		expect(safeNextPath('/equipage')).toBe('/coordination');
		expect(safeNextPath('/coordination/../equipage')).toBe('/coordination');
		expect(safeNextPath('/coordinationX')).toBe('/coordination');
		expect(safeNextPath('/coordination/connexion?suite=/coordination')).toBe('/coordination');
		expect(safeNextPath('/en/coordination/deconnexion')).toBe('/coordination');
		expect(safeNextPath('/api/sync/push', '/en/coordination')).toBe('/en/coordination');
	});

	it('names the home and the sign-in page in the language of a path', () => {
		expect(coordinationHome('/en/coordination/orientations')).toBe('/en/coordination');
		expect(signInPath('/coordination/orientations')).toBe('/coordination/connexion');
		expect(signInPath('/en/coordination')).toBe('/en/coordination/connexion');
	});
});
