/**
 * Signing in to the coordination area in the e2e tests: the demo coordinator (created when the server seeds the
 * demo; password from ESCALE_DEMO_PASSWORD, `escale-demo` by default). The session is a cookie of the browser
 * context, so every page of that context is signed in afterwards; `page.request` shares it, the `request`
 * fixture does not.
 */
import { expect, type Page } from '@playwright/test';

export const DEMO_COORDINATOR = {
	email: 'coordination@demo.escale.fr',
	password: process.env.ESCALE_DEMO_PASSWORD || 'escale-demo',
	name: 'Coordination démo'
};

/** Signs the page's context in (nothing to do if it already is), then lands on `next`. */
export async function signIn(page: Page, next = '/coordination'): Promise<void> {
	const signInPage = next.startsWith('/en/') ? '/en/coordination/connexion' : '/coordination/connexion';
	await page.goto(`${signInPage}?suite=${encodeURIComponent(next)}`);
	if (new URL(page.url()).pathname === signInPage) {
		const english = signInPage.startsWith('/en/');
		await page.getByLabel(english ? 'Email address' : 'Adresse électronique').fill(DEMO_COORDINATOR.email);
		await page.getByLabel(english ? 'Password' : 'Mot de passe').fill(DEMO_COORDINATOR.password);
		await page.getByRole('button', { name: english ? 'Sign in' : 'Se connecter' }).click();
	}
	await expect(page).toHaveURL((url) => url.pathname + url.search === next);
}
