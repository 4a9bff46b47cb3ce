#!/usr/bin/env node
// Creates a member account (any role) outside the demo:
//
//   node scripts/create-member.js <email> "<display name>" [--role coordinateur|national|admin|partenaire]...
//
// Roles decide what the account may do (docs/security.md); `coordinateur` when none is given.
// The password comes from ESCALE_NEW_PASSWORD, else from standard input (typed without echo at a terminal, or
// piped: the first line), 12 characters at least. The database is the server's (ESCALE_DATA_DIR /
// ESCALE_DATABASE_URL, read as the server reads them), migrated if needed. Like `npm run bench`, it loads the
// server's TypeScript through Vite's SSR module loader, so it needs the dev dependencies (vite) installed.
import { openModuleLoader } from './server-modules.js';

const ROLES = ['coordinateur', 'national', 'admin', 'partenaire'];
const args = process.argv.slice(2);
const roles = [];
const positional = [];
let badRole = false;
for (let i = 0; i < args.length; i++) {
	if (args[i] === '--role') {
		const role = args[++i];
		if (ROLES.includes(role)) roles.push(role);
		else badRole = true;
	} else positional.push(args[i]);
}
const [email, name, ...extra] = positional;
if (!email || !name || extra.length > 0 || badRole) {
	console.error(
		`Usage : node scripts/create-member.js <email> "<nom affiché>" [--role ${ROLES.join('|')}]...`
	);
	console.error(
		'Mot de passe : variable ESCALE_NEW_PASSWORD, ou saisi sur l’entrée standard (12 caractères au moins).'
	);
	process.exit(2);
}

/** Reads one line from stdin; at a terminal, without echoing it. */
function readPassword() {
	const input = process.stdin;
	if (!input.isTTY) {
		return new Promise((resolve, reject) => {
			let data = '';
			input.setEncoding('utf8');
			input.on('data', (chunk) => (data += chunk));
			input.on('end', () => resolve(data.split(/\r?\n/)[0] ?? ''));
			input.on('error', reject);
		});
	}
	process.stderr.write('Mot de passe (12 caractères au moins, non affiché) : ');
	return new Promise((resolve) => {
		let typed = '';
		input.setRawMode(true);
		input.setEncoding('utf8');
		input.resume();
		const onData = (chunk) => {
			for (const char of chunk) {
				if (char === '\u0003') {
					input.setRawMode(false);
					process.stderr.write('\n');
					process.exit(130);
				}
				if (char === '\r' || char === '\n') {
					input.setRawMode(false);
					input.pause();
					input.off('data', onData);
					process.stderr.write('\n');
					resolve(typed);
					return;
				}
				if (char === '\u007f' || char === '\b') typed = typed.slice(0, -1);
				else typed += char;
			}
		};
		input.on('data', onData);
	});
}

const password = process.env.ESCALE_NEW_PASSWORD ?? (await readPassword());

const vite = await openModuleLoader();
let code = 0;
try {
	const auth = await vite.ssrLoadModule('/src/lib/server/auth/members.ts');
	const { readConfig } = await vite.ssrLoadModule('/src/lib/server/config.ts');
	const { openStore } = await vite.ssrLoadModule('/src/lib/server/store/open.ts');
	if (password.length < auth.MIN_PASSWORD_LENGTH) {
		console.error(`password : ${auth.MIN_PASSWORD_LENGTH} caractères au moins.`);
		code = 1;
	} else {
		const config = readConfig();
		const store = await openStore(config.database);
		try {
			const created = await auth.createMember(store, {
				email,
				name,
				password,
				...(roles.length > 0 ? { roles } : {})
			});
			console.info(
				`Compte créé : ${created.email} (${created.name}), rôle${created.roles.length > 1 ? 's' : ''} ${created.roles.join(', ')}.`
			);
		} finally {
			await store.close();
		}
	}
} catch (error) {
	code = 1;
	// Input errors name their field; anything else is printed whole (it never holds the password).
	console.error(error instanceof Error && error.name === 'MemberInputError' ? error.message : error);
} finally {
	await vite.close();
}
process.exit(code);
