#!/usr/bin/env node
// Derives Escale's demo data from the ANCT's national list of France services.
//
// Run by hand, from the repository root, when the national list is updated:
//
//   node scripts/derive-demo-data.js [path/to/france-services-YYYY-MM-DD.csv]
//
// The default input is ../shared/data/france-services-2024-08-01.csv. It keeps the mobile France services
// (format_fs = Bus_équivalent or Itinérante: the real buses), only the fields the app needs, and writes
// src/lib/server/demo/data/mobile-france-services.json with a `source` header crediting the ANCT as the
// Licence Ouverte 2.0 asks. The app reads only that JSON: it must never read ../shared at run time.
// If you use a newer list, update SOURCE_DATE below so the credit names the right edition.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const SOURCE_DATE = '2024-08-01';
const MOBILE_FORMATS = new Set(['Bus_équivalent', 'Itinérante']);
const TEXT_FIELDS = [
	'id_fs',
	'insee_dep',
	'lib_fs',
	'adresse',
	'complement_adresse',
	'insee_com',
	'code_postal',
	'lib_com',
	'telephone',
	'mail',
	'prise_rdv',
	'format_fs',
	'h_lundi',
	'h_mardi',
	'h_mercredi',
	'h_jeudi',
	'h_vendredi',
	'h_samedi',
	'commentaire'
];
/** Fields every mobile row must have; an empty one means the input is not the list we expect. */
const REQUIRED_FIELDS = ['id_fs', 'insee_dep', 'lib_fs', 'insee_com', 'code_postal', 'lib_com', 'format_fs'];

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const input = resolve(process.argv[2] ?? resolve(root, '../shared/data/france-services-2024-08-01.csv'));
const output = resolve(root, 'src/lib/server/demo/data/mobile-france-services.json');

/**
 * Parses RFC 4180 CSV: quoted fields may hold commas, newlines and doubled quotes ("").
 * A hand-rolled parser because the project takes no dependency for a script run once a year.
 * @param {string} text
 * @returns {string[][]}
 */
function parseCsv(text) {
	/** @type {string[][]} */
	const rows = [];
	/** @type {string[]} */
	let row = [];
	let field = '';
	let inQuotes = false;
	for (let i = 0; i < text.length; i++) {
		const ch = text[i];
		if (inQuotes) {
			if (ch === '"' && text[i + 1] === '"') {
				field += '"';
				i++;
			} else if (ch === '"') inQuotes = false;
			else field += ch;
		} else if (ch === '"') inQuotes = true;
		else if (ch === ',') {
			row.push(field);
			field = '';
		} else if (ch === '\n' || ch === '\r') {
			if (ch === '\r' && text[i + 1] === '\n') i++;
			row.push(field);
			rows.push(row);
			row = [];
			field = '';
		} else field += ch;
	}
	if (inQuotes) throw new Error('CSV ends inside a quoted field: the file is truncated or malformed.');
	if (field !== '' || row.length > 0) {
		row.push(field);
		rows.push(row);
	}
	return rows;
}

/**
 * @param {string} value
 * @param {string} name
 * @param {string} id
 */
function parseCoordinate(value, name, id) {
	const n = Number(value);
	if (value.trim() === '' || !Number.isFinite(n))
		throw new Error(`id_fs ${id}: ${name} "${value}" is not a number.`);
	return n;
}

const text = readFileSync(input, 'utf8').replace(/^\uFEFF/, '');
const [header, ...records] = parseCsv(text);
if (!header) throw new Error(`${input} is empty.`);
const column = new Map(header.map((name, index) => [name, index]));
for (const name of [...TEXT_FIELDS, 'latitude', 'longitude']) {
	if (!column.has(name)) throw new Error(`${input} has no "${name}" column: is it the ANCT list?`);
}
/** @param {string[]} record @param {string} name */
const cell = (record, name) => (record[column.get(name) ?? -1] ?? '').trim();

const sites = records
	.filter((record) => record.length > 1 && MOBILE_FORMATS.has(cell(record, 'format_fs')))
	.map((record) => {
		const id = cell(record, 'id_fs');
		for (const name of REQUIRED_FIELDS) {
			if (cell(record, name) === '') throw new Error(`id_fs ${id || '?'}: "${name}" is empty.`);
		}
		/** @type {Record<string, string | number | null>} */
		const site = {};
		for (const name of TEXT_FIELDS) site[name] = cell(record, name) || null;
		site.latitude = parseCoordinate(cell(record, 'latitude'), 'latitude', id);
		site.longitude = parseCoordinate(cell(record, 'longitude'), 'longitude', id);
		return site;
	})
	.sort((a, b) => Number(a.id_fs) - Number(b.id_fs));

const document = {
	source: {
		credit: `ANCT, Liste des structures France services, ${SOURCE_DATE}`,
		publisher: 'ANCT (Agence nationale de la cohésion des territoires)',
		title: 'Liste des structures France services',
		date: SOURCE_DATE,
		licence: 'Licence Ouverte / Open Licence 2.0',
		licenceUrl: 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/',
		derivation: `Mobile France services only (format_fs = ${[...MOBILE_FORMATS].join(' or ')}), a subset of the columns; derived by scripts/derive-demo-data.js.`
	},
	sites
};

mkdirSync(dirname(output), { recursive: true });
writeFileSync(output, `${JSON.stringify(document, null, '\t')}\n`);
console.log(`${sites.length} mobile France services written to ${output}`);
