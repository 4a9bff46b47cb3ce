import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

/**
 * Import boundaries. Each message says why the boundary exists (docs/ARCHITECTURE.md has the map).
 * @param {string} why
 * @param {string[]} group
 */
const forbid = (why, group) => ({ group, message: why });

const DOMAIN_IS_PURE = forbid(
	'src/lib/domain is the pure model shared by the browser and the server: it imports nothing but itself, valibot and date-fns.',
	[
		'$lib/*',
		'!$lib/domain',
		'!$lib/domain/*',
		'svelte',
		'svelte/*',
		'$app/*',
		'dexie',
		'better-sqlite3',
		'pg',
		'node:*',
		'idb-keyval',
		'workbox-*'
	]
);
const SYNC_IS_SHARED = forbid(
	'src/lib/sync is the wire protocol both ends import: it may import only the domain.',
	[
		'$lib/client',
		'$lib/client/*',
		'$lib/server',
		'$lib/server/*',
		'$lib/ui',
		'$lib/ui/*',
		'svelte',
		'svelte/*',
		'dexie',
		'better-sqlite3',
		'pg',
		'node:*'
	]
);
const CLIENT_NEVER_SEES_SERVER = forbid(
	'Browser code must never import server code (secrets, SQLite, personal data stores).',
	['$lib/server', '$lib/server/*', 'better-sqlite3', 'pg', 'node:*']
);
const SERVER_NEVER_SEES_CLIENT = forbid(
	'Server code runs in Node: IndexedDB, runes state and components are browser-only.',
	['$lib/client', '$lib/client/*', '$lib/ui', '$lib/ui/*', 'dexie', 'idb-keyval', 'workbox-window']
);
const UI_IS_PRESENTATIONAL = forbid(
	'src/lib/ui holds presentational components: props in, callbacks out. Storage and sync go through $lib/client/state.',
	[
		'$lib/server',
		'$lib/server/*',
		'$lib/client/db',
		'$lib/client/db/*',
		'$lib/client/sync',
		'$lib/client/sync/*',
		'dexie',
		'idb-keyval'
	]
);
const WORKER_HAS_NO_BUSINESS = forbid(
	'The service worker does caching and updates only: no business logic, no UI, no server code.',
	[
		'$lib/server',
		'$lib/server/*',
		'$lib/ui',
		'$lib/ui/*',
		'$lib/client/state',
		'$lib/client/state/*',
		'svelte',
		'svelte/*'
	]
);

// Inside the browser code the layers go one way: db <- sync <- state <- routes. A lower layer that imported a
// higher one would tie the storage (or the engine) to a screen's state, and make import cycles possible.
const CLIENT_DB_IS_THE_BOTTOM = forbid(
	'src/lib/client/db is the bottom of the browser layers (db <- sync <- state): it imports neither $lib/client/sync nor $lib/client/state, which build on it.',
	['$lib/client/sync', '$lib/client/sync/*', '$lib/client/state', '$lib/client/state/*']
);
const CLIENT_SYNC_BELOW_STATE = forbid(
	'src/lib/client/sync runs without any screen (db <- sync <- state): it may not import $lib/client/state, which drives it.',
	['$lib/client/state', '$lib/client/state/*']
);
const ROUTES_GO_THROUGH_STATE = forbid(
	'Crew screens read and write through $lib/client/state (re-reads that drop stale results, saves that say why nothing was stored, the correction rule): never $lib/client/db or $lib/client/sync directly.',
	['$lib/client/db', '$lib/client/db/*', '$lib/client/sync', '$lib/client/sync/*', 'dexie', 'idb-keyval']
);

/** @param {...{ group: string[], message: string }} patterns */
const restrict = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

export default ts.config(
	js.configs.recommended,
	...ts.configs.recommended,
	...svelte.configs.recommended,
	prettier,
	...svelte.configs.prettier,
	{
		languageOptions: { globals: { ...globals.browser, ...globals.node } },
		rules: {
			'no-undef': 'off',
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }]
		}
	},
	{
		files: ['**/*.ts', '**/*.svelte', '**/*.svelte.ts'],
		languageOptions: {
			parserOptions: {
				projectService: true,
				extraFileExtensions: ['.svelte'],
				parser: ts.parser,
				svelteConfig
			}
		},
		rules: {
			'@typescript-eslint/no-floating-promises': 'error',
			'@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
			'@typescript-eslint/no-explicit-any': 'error',
			// Links are localized by Paraglide (`localizeHref`, which knows the base path) and handed to
			// presentational components as props; goto() and pushState still go through resolve().
			'svelte/no-navigation-without-resolve': ['error', { ignoreLinks: true }]
		}
	},
	{ files: ['src/lib/domain/**'], rules: restrict(DOMAIN_IS_PURE) },
	{ files: ['src/lib/sync/**'], rules: restrict(SYNC_IS_SHARED) },
	{ files: ['src/lib/client/**'], rules: restrict(CLIENT_NEVER_SEES_SERVER) },
	// A later block's rule replaces an earlier one's for the same files: each repeats the client-wide pattern.
	{
		files: ['src/lib/client/db/**'],
		rules: restrict(CLIENT_NEVER_SEES_SERVER, CLIENT_DB_IS_THE_BOTTOM)
	},
	{
		files: ['src/lib/client/sync/**'],
		rules: restrict(CLIENT_NEVER_SEES_SERVER, CLIENT_SYNC_BELOW_STATE)
	},
	{ files: ['src/lib/server/**'], rules: restrict(SERVER_NEVER_SEES_CLIENT) },
	{ files: ['src/lib/ui/**'], rules: restrict(UI_IS_PRESENTATIONAL) },
	{ files: ['src/service-worker/**'], rules: restrict(WORKER_HAS_NO_BUSINESS) },
	{ files: ['src/routes/**/*.svelte'], rules: restrict(ROUTES_GO_THROUGH_STATE) },
	{
		// Route code reaches the store only through the access guard (src/lib/server/access/guard.ts), which
		// hands it over once the caller is checked: an export that is not guarded has no store to open.
		files: ['src/routes/**/*.ts'],
		ignores: ['src/routes/**/*.spec.ts'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					paths: [
						{
							name: '$lib/server/app',
							importNames: ['getStore', 'startServer', 'stopServer'],
							message:
								'Routes get the store from guard()/guardApi() ($lib/server/access/guard), after their caller is checked: wrap the load, action or endpoint instead.'
						}
					],
					patterns: [ROUTES_GO_THROUGH_STATE]
				}
			]
		}
	},
	{
		ignores: [
			'build/',
			'.svelte-kit/',
			'node_modules/',
			'src/lib/paraglide/',
			'data/',
			'test-results/',
			'playwright-report/'
		]
	},
	{
		// Test factories and stores come from tests/factories through the `$factories` alias (svelte.config.js):
		// a relative path out of src into tests breaks when a spec moves and hid seven copies of the same
		// factories. The typescript-eslint twin of no-restricted-imports is used so that these patterns add to
		// the boundaries above instead of replacing them (a later config object's options replace an earlier one's).
		files: ['src/**'],
		rules: {
			'@typescript-eslint/no-restricted-imports': [
				'error',
				{
					patterns: [
						{
							regex: '^(\\.{1,2}/)+(.+/)?tests(/|$)',
							message:
								'Import test factories and stores from $factories (tests/factories), not through a relative path out of src.'
						}
					]
				}
			]
		}
	}
);
