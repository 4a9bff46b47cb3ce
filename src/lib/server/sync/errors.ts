/** Sync errors and JSON responses: every answer is JSON, never cached, errors in the protocol's shape. */
import { ERROR_STATUS, type ErrorBody, type ErrorCode } from '$lib/sync/protocol';

/** A refusal the client caused: answered with its code's 4xx status; nothing was stored. */
export class SyncError extends Error {
	override name = 'SyncError';
	readonly code: ErrorCode;
	readonly path: string | undefined;
	/** Sent as `Retry-After` (seconds) with a 429. */
	readonly retryAfterSeconds: number | undefined;

	constructor(code: ErrorCode, message: string, path?: string, retryAfterSeconds?: number) {
		super(message);
		this.code = code;
		this.path = path;
		this.retryAfterSeconds = retryAfterSeconds;
	}
}

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
	return new Response(JSON.stringify(body), {
		status,
		headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers }
	});
}

export function errorResponse(
	code: ErrorCode,
	message: string,
	path?: string,
	retryAfterSeconds?: number
): Response {
	const body: ErrorBody = { error: path === undefined ? { code, message } : { code, message, path } };
	const headers: Record<string, string> =
		retryAfterSeconds === undefined ? {} : { 'Retry-After': String(retryAfterSeconds) };
	return jsonResponse(ERROR_STATUS[code], body, headers);
}
