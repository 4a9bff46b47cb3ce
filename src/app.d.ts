// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
	namespace App {
		// interface Error {}
		interface Locals {
			/** Who is calling (src/lib/server/access/caller.ts), set by src/hooks.server.ts for every request. */
			caller: import('$lib/server/access/caller').Caller;
		}
		// interface PageData {}
		// interface PageState {}
		// interface Platform {}
	}
}

export {};
