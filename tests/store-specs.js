/**
 * The spec files that open a server store (they import tests/factories/store.ts, directly or through another
 * module): the Vitest project `postgres` runs them again on the PostgreSQL adapter (vite.config.ts). Found by
 * following imports, so a new store test runs on both engines without being listed anywhere.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const IMPORT = /(?:\bfrom|\bimport)\s*\(?\s*['"]([^'"]+)['"]/g;

/**
 * @param {string} root the project's folder
 * @param {string[]} folders where to look for spec files, from `root`
 * @param {RegExp} exclude spec files left out (their path from `root`)
 * @returns {string[]} paths from `root`, sorted
 */
export function storeSpecs(root, folders, exclude) {
	const target = join(root, 'tests/factories/store.ts');
	/** @type {Record<string, string>} */
	const aliases = {
		$lib: join(root, 'src/lib'),
		$factories: join(root, 'tests/factories')
	};

	/** @type {(from: string, specifier: string) => string | null} */
	function resolveImport(from, specifier) {
		const [head, ...rest] = specifier.split('/');
		const base =
			head && aliases[head]
				? join(aliases[head], ...rest)
				: specifier.startsWith('.')
					? resolve(dirname(from), specifier)
					: null;
		if (!base) return null;
		for (const candidate of [base, `${base}.ts`, base.replace(/\.js$/, '.ts'), join(base, 'index.ts')]) {
			if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
		}
		return null;
	}

	/** @type {Map<string, string[]>} */
	const imports = new Map();
	/** @type {(file: string) => string[]} */
	function importsOf(file) {
		let found = imports.get(file);
		if (!found) {
			found = [...readFileSync(file, 'utf8').matchAll(IMPORT)]
				.map(([, specifier]) => specifier && resolveImport(file, specifier))
				.filter(/** @returns {next is string} */ (next) => Boolean(next));
			imports.set(file, found);
		}
		return found;
	}

	/**
	 * Whether `file` leads to the store factory: a walk of its imports, each file once.
	 * @type {(file: string, seen: Set<string>) => boolean}
	 */
	function reaches(file, seen) {
		if (file === target) return true;
		if (seen.has(file)) return false;
		seen.add(file);
		return importsOf(file).some((next) => reaches(next, seen));
	}

	/** @type {string[]} */
	const specs = [];
	/** @param {string} folder */
	const walk = (folder) => {
		for (const entry of readdirSync(folder, { withFileTypes: true })) {
			const full = join(folder, entry.name);
			if (entry.isDirectory()) walk(full);
			else if (entry.name.endsWith('.spec.ts')) specs.push(full);
		}
	};
	for (const folder of folders) walk(join(root, folder));
	return specs
		.map((file) => relative(root, file))
		.filter((file) => !exclude.test(file) && reaches(join(root, file), new Set()))
		.sort();
}
