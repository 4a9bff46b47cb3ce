#!/usr/bin/env node
// Renders the PNG icons of the web app manifest from their SVG sources in static/icons/, with headless
// Chromium (the same browser the tests use). Run `npm run icons` after editing an SVG; the PNGs are committed.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { findChromiumExecutable, quietChromiumArgs } from './chromium-path.js';

const iconsDir = fileURLToPath(new URL('../static/icons/', import.meta.url));

/** Each PNG: its SVG source and its side in pixels. */
const renders = [
	{ svg: 'icon.svg', png: 'icon-192.png', size: 192 },
	{ svg: 'icon.svg', png: 'icon-512.png', size: 512 },
	{ svg: 'icon-maskable.svg', png: 'icon-maskable-512.png', size: 512 }
];

const browser = await chromium.launch({ executablePath: findChromiumExecutable(), args: quietChromiumArgs });
try {
	for (const { svg, png, size } of renders) {
		const page = await browser.newPage({ viewport: { width: size, height: size }, deviceScaleFactor: 1 });
		const source = await readFile(`${iconsDir}${svg}`, 'utf8');
		const style = `html,body{margin:0;background:transparent}svg{display:block;width:${size}px;height:${size}px}`;
		await page.setContent(`<!doctype html><style>${style}</style>${source}`);
		// omitBackground keeps the rounded corners of the "any" icon transparent.
		await page.screenshot({ path: `${iconsDir}${png}`, omitBackground: true });
		await page.close();
		console.log(`static/icons/${png} (${size}×${size})`);
	}
} finally {
	await browser.close();
}
