/**
 * The sync endpoints as plain Web handlers, `(store, request, now?) => Promise<Response>`, so routes,
 * tests and the client's property tests call the same code in-process. A client's mistake is a 4xx in
 * the protocol's error shape; only a fault of the server itself is a 500 (logged without any body).
 *
 * Enrollment takes a fourth argument: `handleEnroll(store, request, now?, { clientAddress })`. The route
 * passes `event.getClientAddress()`, so attempts are limited per address (without it, every client counts
 * under one shared address).
 */
import { log } from '../log';
import type { Store } from '../store/store';
import { enroll, type EnrollOptions } from './enroll';
import { errorResponse, SyncError } from './errors';
import { pull } from './pull';
import { push } from './push';

export type SyncHandler = (store: Store, request: Request, now?: () => Date) => Promise<Response>;
export type EnrollHandler = (
	store: Store,
	request: Request,
	now?: () => Date,
	options?: EnrollOptions
) => Promise<Response>;
export type { EnrollOptions };

type Inner<O> = (store: Store, request: Request, now: () => Date, options: O) => Promise<Response>;

function guard<O>(name: string, inner: Inner<O>, defaults: O) {
	return async (store: Store, request: Request, now: () => Date = () => new Date(), options?: O) => {
		try {
			return await inner(store, request, now, options ?? defaults);
		} catch (error) {
			if (error instanceof SyncError) {
				return errorResponse(error.code, error.message, error.path, error.retryAfterSeconds);
			}
			log().error(
				`sync.${name}.unexpected`,
				`Escale sync ${name}: unexpected ${error instanceof Error ? error.name : 'error'}`,
				error
			);
			return errorResponse('internal', 'Erreur interne du serveur : réessayez plus tard');
		}
	};
}

export const handleEnroll: EnrollHandler = guard<EnrollOptions>('enroll', enroll, {});
export const handlePush: SyncHandler = guard<undefined>('push', push, undefined);
export const handlePull: SyncHandler = guard<undefined>('pull', pull, undefined);
