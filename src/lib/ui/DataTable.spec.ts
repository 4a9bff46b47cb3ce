/**
 * The table wrapper contains what it scrolls. Text hidden for sighted readers (`.visually-hidden`, position:
 * absolute in app.css) is clipped by the wrapper's overflow only if the wrapper is its containing block; else a
 * wide table (200 % zoom on a 1280 px screen) puts it beyond the page's right edge and the page scrolls sideways.
 * No layout here (the browser test tests/e2e/coordination-zoom.spec.ts measures it): this pins the two rules.
 */
import { readFileSync } from 'node:fs';
import { compile } from 'svelte/compiler';
import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import DataTable from './DataTable.svelte';

const source = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');

/** The declarations of the first rule of `css` whose selector matches `selector`. */
function declarations(css: string, selector: RegExp): string {
	const rule = new RegExp(`${selector.source}\\s*\\{([^}]*)\\}`).exec(css);
	if (!rule?.[1]) throw new Error(`no rule for ${selector.source}`);
	return rule[1].replace(/\/\*[\s\S]*?\*\//g, '');
}

describe('DataTable', () => {
	it('renders a hidden column header as visually hidden text inside the scroll wrapper', () => {
		const html = render(DataTable, {
			props: {
				columns: [{ label: 'Bus' }, { label: 'Actions', hidden: true }],
				rows: [],
				key: String,
				row: () => {}
			} as never
		}).body;
		expect(html).toMatch(
			/<div class="table-scroll[^"]*">[\s\S]*<span class="visually-hidden">Actions<\/span>/
		);
	});

	it('makes its scroll wrapper the containing block of the absolutely placed hidden text', () => {
		const { css } = compile(source('./DataTable.svelte'), { filename: 'DataTable.svelte', css: 'external' });
		const wrapper = declarations(css?.code ?? '', /\.table-scroll\.svelte-[\w-]+/);
		expect(wrapper).toMatch(/overflow-x:\s*auto/);
		expect(wrapper).toMatch(/position:\s*relative/);
		// Why it matters: the hidden text is taken out of the flow against its containing block.
		expect(declarations(source('../../app.css'), /\n\.visually-hidden/)).toMatch(/position:\s*absolute/);
	});
});
