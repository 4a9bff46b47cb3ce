/**
 * The one shape of every /api error answer, whoever refuses the request (a handler, the access guard, the
 * hook's cross-site check, an unknown method or path, a body or headers too large): JSON
 * `{ "error": { "code", "message" } }`, never cached. Messages are French and never repeat what was sent.
 * The sync protocol's own codes (docs/sync-protocol.md) and open data's (docs/open-data.md) use the same shape.
 */

/** Codes answered outside the sync and open-data handlers (docs/security.md lists them). */
export const API_ERRORS = {
	invalid_request: { status: 400, message: 'Requête invalide' },
	unauthenticated: {
		status: 401,
		message: 'Identification requise : jeton d’appareil ou session manquant ou invalide'
	},
	device_revoked: {
		status: 403,
		message:
			'Cette tablette a été révoquée par la coordination : elle ne peut plus synchroniser. Contactez votre coordinateur.'
	},
	forbidden: { status: 403, message: 'Accès refusé : votre rôle ne le permet pas' },
	cross_site: {
		status: 403,
		message: 'Envoi de formulaire depuis un autre site refusé (vérification d’origine)'
	},
	not_found: { status: 404, message: 'Adresse inconnue de l’API' },
	method_not_allowed: { status: 405, message: 'Méthode HTTP non prise en charge à cette adresse' },
	payload_too_large: { status: 413, message: 'Corps de requête trop volumineux' },
	unsupported_media_type: { status: 415, message: 'Type de contenu non pris en charge' },
	too_many_requests: { status: 429, message: 'Trop de requêtes : réessayez plus tard' },
	header_too_large: { status: 431, message: 'En-têtes de requête trop volumineux' },
	internal: { status: 500, message: 'Erreur interne du serveur : réessayez plus tard' }
} as const satisfies Record<string, { status: number; message: string }>;

export type ApiErrorCode = keyof typeof API_ERRORS;

export function apiError(code: ApiErrorCode, headers: Record<string, string> = {}): Response {
	const { status, message } = API_ERRORS[code];
	return new Response(JSON.stringify({ error: { code, message } }), {
		status,
		headers: {
			...headers,
			'Content-Type': 'application/json; charset=utf-8',
			'Cache-Control': 'no-store'
		}
	});
}

/** The code for an error status that reached an /api answer without a JSON body of its own. */
export function codeForStatus(status: number): ApiErrorCode {
	for (const [code, error] of Object.entries(API_ERRORS) as [ApiErrorCode, { status: number }][]) {
		if (error.status === status && code !== 'device_revoked' && code !== 'cross_site') return code;
	}
	return status >= 500 ? 'internal' : 'invalid_request';
}

export function isJsonResponse(response: Response): boolean {
	const type = response.headers.get('content-type') ?? '';
	return /^application\/(.+\+)?json\s*(;|$)/i.test(type);
}
