/** Sync errors and JSON responses: every answer is JSON, never cached, errors in the protocol's shape. */
import { ERROR_STATUS, type ErrorBody, type ErrorCode } from '$lib/sync/protocol';

/** A refusal the client caused: answered with its code's 4xx status; nothing was stored. */
export class SyncError extends Error {
	override name = 'SyncError';
	readonly code: ErrorCode;
	readonly path: string | undefined;

	constructor(code: ErrorCode, message: string, path?: string) {
		super(message);
		this.code = code;
		this.path = path;
	}
}

export function jsonResponse(status: number, body: unknown): Response {
	return new Response(JSON.stringify(body), {
		status,
		headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' }
	});
}

export function errorResponse(code: ErrorCode, message: string, path?: string): Response {
	const body: ErrorBody = { error: path === undefined ? { code, message } : { code, message, path } };
	return jsonResponse(ERROR_STATUS[code], body);
}
