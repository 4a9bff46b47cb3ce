/**
 * The device secret, made by the tablet: 32 random bytes in base64url (43 characters). Only its SHA-256 (hex,
 * of the 43 characters in UTF-8) goes to the server, at enrollment; the secret itself goes only in the
 * bearer token of push and pull. Web Crypto, so the same code runs in the browser and in Node.
 */

function toBase64Url(bytes: Uint8Array): string {
	let binary = '';
	for (const byte of bytes) binary += String.fromCharCode(byte);
	return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function createDeviceSecret(): string {
	return toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
}

/** SHA-256 of the secret in hex: what the server stores and compares the token's secret against. */
export async function hashDeviceSecret(secret: string): Promise<string> {
	const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(secret)));
	return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
