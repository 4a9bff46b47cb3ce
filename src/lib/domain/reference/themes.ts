import type { Theme } from './types';

/**
 * The ten themes of service-public.fr ("Particuliers"), which the ANCT's own tools reuse. Codes are ours
 * and stable; labels follow the site's headings.
 */
export const THEMES_2026: Theme[] = [
	{
		code: 'papersCitizenship',
		label: 'Papiers - Citoyenneté - Élections',
		labelEn: 'Papers, citizenship, elections'
	},
	{ code: 'family', label: 'Famille - Scolarité', labelEn: 'Family, schooling' },
	{ code: 'socialHealth', label: 'Social - Santé', labelEn: 'Social welfare, health' },
	{ code: 'workTraining', label: 'Travail - Formation', labelEn: 'Work, training' },
	{ code: 'housing', label: 'Logement', labelEn: 'Housing' },
	{ code: 'transport', label: 'Transports - Mobilité', labelEn: 'Transport, mobility' },
	{ code: 'moneyTaxes', label: 'Argent - Impôts - Consommation', labelEn: 'Money, taxes, consumer matters' },
	{ code: 'justice', label: 'Justice', labelEn: 'Justice' },
	{ code: 'foreigners', label: 'Étranger - Europe', labelEn: 'Foreign nationals, Europe' },
	{ code: 'leisure', label: 'Loisirs - Sports - Culture', labelEn: 'Leisure, sports, culture' }
];
