import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import StorageStatus from './StorageStatus.svelte';

const labels = {
	checking: 'Vérification du stockage…',
	persisted: 'Stockage persistant accordé.',
	notPersisted: 'Stockage non persistant.',
	unavailable: 'Stockage indisponible.'
};
const usageLabel = ({ used, quota }: { used: string; quota: string }) =>
	`${used} utilisés sur ${quota} disponibles`;

function renderStatus(
	props: Partial<{ status: keyof typeof labels; usage: number | null; quota: number | null }>
) {
	return render(StorageStatus, {
		props: { status: 'persisted', usage: null, quota: null, labels, usageLabel, locale: 'fr', ...props }
	}).body.replace(/<!--[^>]*-->/g, '');
}

describe('StorageStatus', () => {
	it('announces the status in a status region', () => {
		const html = renderStatus({ status: 'notPersisted' });
		expect(html).toMatch(/role="status"/);
		expect(html).toContain('Stockage non persistant.');
	});

	it('shows used and available space in French units', () => {
		const html = renderStatus({ usage: 12_345_678, quota: 2_500_000_000 });
		// French puts a no-break space between number and unit.
		expect(html).toMatch(/>12,3\sMo utilisés sur 2,5\sGo disponibles</);
	});

	it('hides the space while checking or when the browser does not tell', () => {
		expect(renderStatus({ status: 'checking', usage: 1, quota: 2 })).not.toContain('utilisés');
		expect(renderStatus({ usage: null, quota: 2 })).not.toContain('utilisés');
	});
});
