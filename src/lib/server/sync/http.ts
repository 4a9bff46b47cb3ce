/**
 * The sync endpoints as plain Web handlers, `(store, request, now?) => Promise<Response>`, so routes,
 * tests and the client's property tests call the same code in-process. A client's mistake is a 4xx in
 * the protocol's error shape; only a fault of the server itself is a 500 (logged without any body).
 */
import type { Store } from '../store/store';
import { enroll } from './enroll';
import { errorResponse, SyncError } from './errors';
import { pull } from './pull';
import { push } from './push';

export type SyncHandler = (store: Store, request: Request, now?: () => Date) => Promise<Response>;

type Inner = (store: Store, request: Request, now: () => Date) => Promise<Response>;

function guard(name: string, inner: Inner): SyncHandler {
	return async (store, request, now = () => new Date()) => {
		try {
			return await inner(store, request, now);
		} catch (error) {
			if (error instanceof SyncError) return errorResponse(error.code, error.message, error.path);
			console.error(
				`Escale sync ${name}: unexpected ${error instanceof Error ? error.name : 'error'}`,
				error
			);
			return errorResponse('internal', 'Erreur interne du serveur : réessayez plus tard');
		}
	};
}

export const handleEnroll: SyncHandler = guard('enroll', enroll);
export const handlePush: SyncHandler = guard('push', push);
export const handlePull: SyncHandler = guard('pull', pull);
