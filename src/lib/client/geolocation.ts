/**
 * Whether this document may ask for the reader's position. The Permissions-Policy header is read once, when a
 * document loads, and src/lib/server/http/security-headers.ts allows geolocation to the public search's document
 * only: a search reached by client-side navigation from another page keeps that page's policy, and must be loaded
 * afresh before it can locate the reader.
 */
interface FeaturePolicy {
	allowsFeature(feature: string): boolean;
}

/** Chromium exposes the policy as `document.featurePolicy`; other browsers do not apply the header to geolocation. */
export function documentAllowsGeolocation(): boolean {
	const policy = (document as Document & { featurePolicy?: FeaturePolicy }).featurePolicy;
	return policy?.allowsFeature('geolocation') ?? true;
}

/** Remembers, for this tab only, that the reader asked to be located once the page has loaded again. */
const LOCATE_AFTER_LOAD = 'escale-locate-after-load';

/** Loads this page afresh (with its own policy); `takeLocateRequest()` then says the reader was waiting. */
export function reloadToLocate(): void {
	try {
		sessionStorage.setItem(LOCATE_AFTER_LOAD, '1');
	} catch {
		// No session storage (a locked-down browser): the reader clicks once more after the reload.
	}
	location.reload();
}

/** True once after `reloadToLocate()`: the reader already asked to be located. */
export function takeLocateRequest(): boolean {
	try {
		const asked = sessionStorage.getItem(LOCATE_AFTER_LOAD) !== null;
		sessionStorage.removeItem(LOCATE_AFTER_LOAD);
		return asked;
	} catch {
		return false;
	}
}
