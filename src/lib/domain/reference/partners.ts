import type { Partner } from './types';

// The network's nine founding partners, labelled from January 2020 (circulaire du 1er juillet 2019).
const FOUNDING = 2020;

/**
 * The eleven partners of `data/partners-catalog.json` (codes, names and French labels copied from it; a
 * test keeps them equal). Written out here rather than read from the JSON so that a page needing only the
 * partner list does not ship the whole catalog. `since` is left out where no stored source gives the year.
 */
export const PARTNERS_2026: Partner[] = [
	{
		code: 'DGFIP',
		label: 'Impôts',
		labelEn: 'Taxes',
		name: 'Direction générale des Finances publiques (impots.gouv.fr)',
		since: FOUNDING
	},
	{
		code: 'CAF',
		label: 'CAF',
		labelEn: 'Family benefits (CAF)',
		name: "Caisse d'allocations familiales (caf.fr)",
		since: FOUNDING
	},
	{
		code: 'CPAM',
		label: 'Assurance Maladie',
		labelEn: 'Health insurance',
		name: "Assurance Maladie – caisse primaire d'assurance maladie (ameli.fr)",
		since: FOUNDING
	},
	{
		code: 'CNAV',
		label: 'Retraite de base',
		labelEn: 'State pension',
		name: "Assurance retraite – Caisse nationale d'assurance vieillesse et Carsat (lassuranceretraite.fr)",
		since: FOUNDING
	},
	{
		code: 'AGIRC_ARRCO',
		label: 'Retraite complémentaire',
		labelEn: 'Supplementary pension',
		name: 'Agirc-Arrco – retraite complémentaire des salariés du privé (agirc-arrco.fr)'
	},
	{
		code: 'MSA',
		label: 'MSA (régime agricole)',
		labelEn: "Farmers' social security (MSA)",
		name: 'Mutualité sociale agricole (msa.fr)',
		since: FOUNDING
	},
	{
		code: 'FRANCE_TRAVAIL',
		label: 'Emploi',
		labelEn: 'Employment',
		name: 'France Travail (ex-Pôle emploi)',
		since: FOUNDING
	},
	{
		code: 'FRANCE_TITRES',
		label: 'Papiers et véhicule',
		labelEn: 'ID papers and vehicles',
		name: "France Titres (ex-ANTS, Agence nationale des titres sécurisés) – ministère de l'Intérieur",
		since: FOUNDING
	},
	{ code: 'LA_POSTE', label: 'La Poste', labelEn: 'La Poste', name: 'La Poste', since: FOUNDING },
	{
		code: 'JUSTICE',
		label: 'Justice',
		labelEn: 'Justice',
		name: 'Ministère de la Justice (justice.fr)',
		since: FOUNDING
	},
	{
		code: 'ENERGIE',
		label: 'Chèque énergie',
		labelEn: 'Energy voucher',
		name: "Chèque énergie (État ; envoi et demandes gérés par l'Agence de services et de paiement)"
	}
];
