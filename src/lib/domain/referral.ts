/**
 * A referral follows one person's request to an expert of a partner (docs/domain.md, What is recorded): partner,
 * target, mode, reason, due date, a status with its history and, only with the person's recorded consent, a way to
 * call them back. Every list is closed and every object strict: no free text, no extra key.
 *
 * The contact is personal data: kept apart from statistics, minimised (a phone or an e-mail, and a slot),
 * and deleted when the referral closes (the client and server retention rules do that).
 */
import * as v from 'valibot';
import { normalizeFrenchPhone } from './phone';
import { findPartner, referenceVersions, type ReferenceData } from './reference';
import {
	REFERRAL_STATUSES,
	canMoveReferral,
	isReferralFinal,
	type ReferralStatus
} from './referral-lifecycle';
import {
	BusIdSchema,
	InstantSchema,
	LocalDateSchema,
	PartnerCodeSchema,
	ReferenceVersionSchema,
	UuidSchema,
	parseWith,
	type ParseResult
} from './validation';

export * from './referral-lifecycle';

/** Who at the partner takes the case. */
export const REFERRAL_TARGETS = [
	'franceServicesReferent',
	'localOffice',
	'specialistDepartment',
	'socialWorker',
	'otherPartnerService'
] as const;
export type ReferralTarget = (typeof REFERRAL_TARGETS)[number];

/** How the case is passed on. `callbackRequested` means the partner calls the person: it needs a contact. */
export const REFERRAL_MODES = [
	'phoneHandoff',
	'partnerPlatform',
	'appointmentBooked',
	'callbackRequested',
	'videoAppointment'
] as const;
export type ReferralMode = (typeof REFERRAL_MODES)[number];

/** Why the adviser could not finish the request. */
export const REFERRAL_REASONS = [
	'needsFileAccess',
	'complexSituation',
	'disputeOrAppeal',
	'paymentOrDebt',
	'rightsInterrupted',
	'reservedToPartner',
	'other'
] as const;
export type ReferralReason = (typeof REFERRAL_REASONS)[number];

export const CALLBACK_SLOTS = ['morning', 'afternoon', 'evening', 'anytime'] as const;
export type CallbackSlot = (typeof CALLBACK_SLOTS)[number];

const oneOf = (values: readonly string[]) => `Valeur attendue parmi : ${values.join(', ')}`;

export const FrenchPhoneSchema = v.pipe(
	v.string('Numéro de téléphone attendu'),
	v.transform((input) => normalizeFrenchPhone(input) ?? input),
	v.regex(/^0[1-79]\d{8}$/, 'Numéro de téléphone français attendu (10 chiffres, ex. 06 12 34 56 78)')
);

export const EmailSchema = v.pipe(
	v.string('Adresse e-mail attendue'),
	v.trim(),
	v.toLowerCase(),
	v.maxLength(254, 'Adresse e-mail trop longue'),
	v.email('Adresse e-mail invalide')
);

const ConsentSchema = v.nullable(
	v.strictObject({
		given: v.literal(true, 'Le consentement enregistré vaut true ; sans consentement, consent vaut null'),
		recordedAt: InstantSchema
	})
);

const ContactSchema = v.nullable(
	v.pipe(
		v.strictObject({
			phone: v.optional(FrenchPhoneSchema),
			email: v.optional(EmailSchema),
			callbackSlot: v.optional(v.picklist(CALLBACK_SLOTS, oneOf(CALLBACK_SLOTS)))
		}),
		v.check(
			(contact) => contact.phone !== undefined || contact.email !== undefined,
			'Donner un téléphone ou un e-mail, ou aucune coordonnée (contact vaut null)'
		)
	)
);

const StatusSchema = v.picklist(REFERRAL_STATUSES, oneOf(REFERRAL_STATUSES));

/** The history starts at `open`, moves only forward and ends at the current status. */
function isLifecycle<T extends { status: ReferralStatus }>(history: T[]): boolean {
	// An empty history is reported by minLength alone.
	if (history.length === 0) return true;
	if (history[0]?.status !== 'open') return false;
	return history.every((step, i) => {
		const previous = history[i - 1];
		return previous === undefined || canMoveReferral(previous.status, step.status);
	});
}

export const ReferralSchema = v.pipe(
	v.strictObject({
		id: UuidSchema,
		/** The visit whose request is referred. */
		visitId: UuidSchema,
		busId: BusIdSchema,
		recordedAt: InstantSchema,
		referenceVersion: ReferenceVersionSchema,
		partner: PartnerCodeSchema,
		target: v.picklist(REFERRAL_TARGETS, oneOf(REFERRAL_TARGETS)),
		mode: v.picklist(REFERRAL_MODES, oneOf(REFERRAL_MODES)),
		reason: v.picklist(REFERRAL_REASONS, oneOf(REFERRAL_REASONS)),
		dueDate: LocalDateSchema,
		status: StatusSchema,
		history: v.pipe(
			v.array(v.strictObject({ status: StatusSchema, at: InstantSchema })),
			v.minLength(1, "L'historique commence par le statut open"),
			v.check((history) => isLifecycle(history), "L'historique doit partir de open et n'aller qu'en avant")
		),
		consent: ConsentSchema,
		contact: ContactSchema
	}),
	v.forward(
		v.partialCheck(
			[['status'], ['history']],
			(referral) => referral.history.length === 0 || referral.history.at(-1)?.status === referral.status,
			"Le statut doit être le dernier de l'historique"
		),
		['status']
	),
	v.forward(
		v.partialCheck(
			[['consent'], ['contact']],
			(referral) => referral.contact === null || referral.consent !== null,
			'Coordonnées interdites sans le consentement enregistré de la personne'
		),
		['contact']
	),
	v.forward(
		v.partialCheck(
			[['mode'], ['contact'], ['status']],
			// Once final, the contact is purged (retention): a closed callback referral has none left.
			(referral) =>
				referral.mode !== 'callbackRequested' ||
				referral.contact !== null ||
				isReferralFinal(referral.status),
			'Un rappel par le partenaire demande des coordonnées, avec consentement'
		),
		['contact']
	)
);

export type Referral = v.InferOutput<typeof ReferralSchema>;

/**
 * Validates a referral from anywhere: its shape, the consent rule, its history, then its partner code
 * against the reference version it names, among `references` (all published ones by default).
 */
export function parseReferral(
	input: unknown,
	references: readonly ReferenceData[] = referenceVersions
): ParseResult<Referral> {
	const parsed = parseWith(ReferralSchema, input);
	if (!parsed.ok) return parsed;
	const reference = references.find((candidate) => candidate.version === parsed.value.referenceVersion);
	if (!reference) {
		return { ok: false, issues: [{ path: 'referenceVersion', message: 'Version de référentiel inconnue' }] };
	}
	if (!findPartner(reference, parsed.value.partner)) {
		return {
			ok: false,
			issues: [{ path: 'partner', message: `Partenaire inconnu du référentiel ${reference.version}` }]
		};
	}
	return parsed;
}
