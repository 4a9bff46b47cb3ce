/**
 * The one normal form of a coordinator's email, used to store it, to look it up and to key the sign-in brake:
 * Unicode NFKC (full-width letters and `＠` become ASCII), every whitespace and invisible character removed
 * (spaces, non-breaking spaces, zero-width spaces and joiners, soft hyphens, byte-order marks), lower-cased.
 * So ` Claire.Martin@Exemple.FR `, its full-width spelling and a copy with a stray zero-width space are one
 * address, for the account and for the brake alike.
 *
 * No migration: the previous form (trim, lower-case, then valibot's email check, whose pattern is ASCII only)
 * can only have stored ASCII addresses without spaces, which this form leaves unchanged.
 */
import * as v from 'valibot';

/** White_Space covers the no-break and ideographic spaces; Default_Ignorable covers U+200B-200D, U+2060, U+FEFF, U+00AD. */
const INVISIBLE = /[\p{White_Space}\p{Default_Ignorable_Code_Point}]/gu;

export const MAX_EMAIL_LENGTH = 254;

/** The normal form of any string, an address or not (the brake keys even a malformed one this way). */
export function foldEmail(raw: string): string {
	return raw.normalize('NFKC').replace(INVISIBLE, '').toLowerCase();
}

export const EmailSchema = v.pipe(
	v.string('email : adresse attendue'),
	v.transform(foldEmail),
	v.maxLength(MAX_EMAIL_LENGTH, `email : ${MAX_EMAIL_LENGTH} caractères au plus`),
	v.email('email : adresse électronique invalide')
);

/** The normal form of `input`, or null if that is not an email address. */
export function normalizeEmail(input: unknown): string | null {
	const parsed = v.safeParse(EmailSchema, input);
	return parsed.success ? parsed.output : null;
}
