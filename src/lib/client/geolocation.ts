/**
 * Whether this document may ask for the reader's position. The Permissions-Policy header is read once, when a
 * document loads: a page reached by client-side navigation keeps the policy of the page the visit started on
 * (src/lib/server/http/security-headers.ts allows geolocation to the public search only).
 */
interface FeaturePolicy {
	allowsFeature(feature: string): boolean;
}

/** Chromium exposes the policy as `document.featurePolicy`; other browsers do not apply the header to geolocation. */
export function documentAllowsGeolocation(): boolean {
	const policy = (document as Document & { featurePolicy?: FeaturePolicy }).featurePolicy;
	return policy?.allowsFeature('geolocation') ?? true;
}
