// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
	namespace App {
		// interface Error {}
		interface Locals {
			/** The signed-in coordinator, set by src/hooks.server.ts on the coordination area; null elsewhere or signed out. */
			coordinator: { id: string; email: string; name: string } | null;
		}
		// interface PageData {}
		// interface PageState {}
		// interface Platform {}
	}
}

export {};
