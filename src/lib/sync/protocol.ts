/**
 * The wire protocol of sync, version 1 (docs/sync-protocol.md): the bodies of every request and response,
 * as valibot schemas and their types, so the tablet and the server read the same definitions.
 *
 * Requests are strict (an unknown key is an error the server names); responses are read leniently by the
 * client (a newer server may add fields). Mutation payloads are checked per kind and schema version by the
 * server, after the envelope, so one bad record is rejected and acknowledged without refusing its batch.
 *
 * Longer than our usual module on purpose: the whole wire contract reads in one place, in the order of
 * docs/sync-protocol.md.
 */
import * as v from 'valibot';
import { ReferralSchema, REFERRAL_STATUSES } from '$lib/domain/referral';
import {
	SERVICE_DAY_REPORTS,
	SERVICE_DAY_REPORT_REASONS,
	type ServiceDayReportKind,
	type ServiceDayReportReason
} from '$lib/domain/schedule';
import { ServiceDayOpenSchema, type ServiceDayOpen } from '$lib/domain/off-plan';
import { InstantSchema, offPlanServiceDayBus, ServiceDayIdSchema, UuidSchema } from '$lib/domain/validation';
import { VisitSchema } from '$lib/domain/visit';

export const PROTOCOL_VERSION = 1;

/** Bounds of a request; the server answers 413 payload_too_large above the byte caps. */
export const LIMITS = {
	maxMutationsPerPush: 500,
	/** Decompressed body size of a push. */
	maxPushBytes: 2 * 1024 * 1024,
	/** Decompressed body size of an enroll or a pull. */
	maxSmallBodyBytes: 16 * 1024,
	defaultPullLimit: 500,
	maxPullLimit: 1000
} as const;

export const ERROR_CODES = [
	'invalid_body',
	'protocol_unsupported',
	'unauthenticated',
	'device_revoked',
	'forbidden_scope',
	'enrollment_code_invalid',
	'payload_too_large',
	'unsupported_media_type',
	'not_found',
	'method_not_allowed',
	'rate_limited',
	'internal'
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** The HTTP status of each error code. */
export const ERROR_STATUS: Record<ErrorCode, number> = {
	invalid_body: 400,
	protocol_unsupported: 400,
	enrollment_code_invalid: 400,
	unauthenticated: 401,
	device_revoked: 403,
	forbidden_scope: 403,
	not_found: 404,
	method_not_allowed: 405,
	payload_too_large: 413,
	unsupported_media_type: 415,
	rate_limited: 429,
	internal: 500
};

export const ErrorBodySchema = v.object({
	error: v.object({
		code: v.picklist(ERROR_CODES),
		/** French, names the field or the problem; never repeats a value that may be personal data. */
		message: v.string(),
		path: v.optional(v.string())
	})
});
export type ErrorBody = v.InferOutput<typeof ErrorBodySchema>;

const ProtocolSchema = v.literal(PROTOCOL_VERSION, `Version de protocole attendue : ${PROTOCOL_VERSION}`);

// ---- Enroll -------------------------------------------------------------------------------------------

/** "ABCD-2345": Crockford-like base32 without I, L, O, U; case-insensitive, dash optional. */
export const ENROLLMENT_CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * The app's version as package.json gives it: `1.4.0`, `1.5.0-rc.2`, `0.1.0+3f2a9c1`. Numbers without a
 * leading zero, a pre-release of `alpha`, `beta` or `rc`, a build of 1 to 12 hexadecimal characters with no
 * run of 7 digits: it is stored and shown to coordinators, so a name, a phone number or a NIR cannot pass.
 */
const APP_VERSION =
	/^(?:0|[1-9]\d{0,3})\.(?:0|[1-9]\d{0,3})\.(?:0|[1-9]\d{0,3})(?:-(?:alpha|beta|rc)(?:\.(?:0|[1-9]\d{0,3}))?)?(?:\+[0-9a-f]{1,12})?$/;

export function isAppVersion(value: string): boolean {
	return APP_VERSION.test(value) && !/\d{7}/.test(value);
}

export const AppVersionSchema = v.pipe(
	v.string("Version de l'application attendue"),
	v.check(isAppVersion, "Version de l'application attendue (ex. 1.4.0)")
);

/**
 * SHA-256 of the device secret, 64 lower-case hexadecimal characters. The tablet makes the secret (32
 * random bytes) and keeps it; the server only ever sees this digest.
 */
export const SecretHashSchema = v.pipe(
	v.string('Empreinte du secret attendue'),
	v.regex(/^[0-9a-f]{64}$/, 'Empreinte du secret attendue (SHA-256 en hexadécimal, 64 caractères)')
);

export const EnrollRequestSchema = v.strictObject({
	protocol: ProtocolSchema,
	code: v.pipe(v.string("Code d'enrôlement attendu"), v.maxLength(32, "Code d'enrôlement trop long")),
	appVersion: AppVersionSchema,
	secretHash: SecretHashSchema
});
export type EnrollRequest = v.InferOutput<typeof EnrollRequestSchema>;

// ---- Mutations ----------------------------------------------------------------------------------------

export const MUTATION_KINDS = [
	'visit.create',
	'referral.create',
	'referral.status',
	'serviceDay.report',
	'serviceDay.open'
] as const;
export type MutationKind = (typeof MUTATION_KINDS)[number];

// The lists belong to the domain (src/lib/domain/schedule.ts); the protocol names them again for its bodies.
export {
	SERVICE_DAY_REPORTS,
	SERVICE_DAY_REPORT_REASONS,
	type ServiceDayReportKind,
	type ServiceDayReportReason
};

export const ReferralStatusChangeSchema = v.strictObject({
	referralId: UuidSchema,
	status: v.picklist(REFERRAL_STATUSES, `Statut attendu parmi : ${REFERRAL_STATUSES.join(', ')}`),
	at: InstantSchema
});
export type ReferralStatusChange = v.InferOutput<typeof ReferralStatusChangeSchema>;

export const ServiceDayReportSchema = v.strictObject({
	serviceDayId: ServiceDayIdSchema,
	report: v.picklist(SERVICE_DAY_REPORTS, 'Compte rendu attendu : held, late ou cancelled'),
	delayMinutes: v.optional(
		v.pipe(v.number(), v.integer('Retard en minutes entières attendu'), v.minValue(1), v.maxValue(600))
	),
	reason: v.optional(
		v.picklist(SERVICE_DAY_REPORT_REASONS, 'Motif attendu : breakdown, weather, staff ou other')
	),
	at: InstantSchema
});
export type ServiceDayReport = v.InferOutput<typeof ServiceDayReportSchema>;

// An off-plan service day the crew opened (src/lib/domain/off-plan.ts has its rules).
export { ServiceDayOpenSchema, type ServiceDayOpen };

/** The id of an off-plan service day only: `<bus id>-hc-<UUID>@<date>`. */
export const OffPlanServiceDayIdSchema = v.pipe(
	v.string('Identifiant de passage attendu'),
	v.check(
		(value: string) => offPlanServiceDayBus(value) !== null,
		'Identifiant de passage hors circuit attendu (<bus>-hc-<UUID>@AAAA-MM-JJ)'
	)
);

/**
 * The payload schema of each kind, per schema version. A new payload shape adds a version here and keeps
 * the older ones, so a tablet still running an older app can push what it queued (Replicache's rule).
 */
export const PAYLOAD_SCHEMAS = {
	'visit.create': { 1: VisitSchema },
	'referral.create': { 1: ReferralSchema },
	'referral.status': { 1: ReferralStatusChangeSchema },
	'serviceDay.report': { 1: ServiceDayReportSchema },
	'serviceDay.open': { 1: ServiceDayOpenSchema }
} as const satisfies Record<MutationKind, Record<number, v.GenericSchema>>;

/** The schema version this app writes for each kind. */
export const CURRENT_SCHEMA_VERSION: Record<MutationKind, number> = {
	'visit.create': 1,
	'referral.create': 1,
	'referral.status': 1,
	'serviceDay.report': 1,
	'serviceDay.open': 1
};

/**
 * The shape of `entityId` for each kind: the id of the record the mutation is about. Checked per mutation
 * (a wrong one rejects that mutation only, never its batch) and before a refused mutation's id is kept.
 */
export const ENTITY_ID_SCHEMAS = {
	'visit.create': UuidSchema,
	'referral.create': UuidSchema,
	'referral.status': UuidSchema,
	'serviceDay.report': ServiceDayIdSchema,
	'serviceDay.open': OffPlanServiceDayIdSchema
} as const satisfies Record<MutationKind, v.GenericSchema<string, string>>;

export function isMutationKind(kind: string): kind is MutationKind {
	return (MUTATION_KINDS as readonly string[]).includes(kind);
}

export interface PayloadOf {
	'visit.create': v.InferOutput<typeof VisitSchema>;
	'referral.create': v.InferOutput<typeof ReferralSchema>;
	'referral.status': ReferralStatusChange;
	'serviceDay.report': ServiceDayReport;
	'serviceDay.open': ServiceDayOpen;
}

export const MutationSchema = v.strictObject({
	/** Per device, strictly increasing, dense, from 1. */
	mutationId: v.pipe(
		v.number('Identifiant de mutation attendu (entier)'),
		v.safeInteger('Identifiant de mutation entier attendu'),
		v.minValue(1, 'Identifiant de mutation de 1 au moins')
	),
	/** A string here, checked against MUTATION_KINDS per mutation: an unknown kind rejects that one only. */
	kind: v.pipe(
		v.string('Type de mutation attendu'),
		v.regex(/^[a-z][A-Za-z]{0,31}(\.[a-z][A-Za-z]{0,31})?$/, 'Type de mutation attendu (ex. visit.create)')
	),
	/** Its shape depends on the kind (ENTITY_ID_SCHEMAS), checked per mutation; bounded here. */
	entityId: v.pipe(
		v.string("Identifiant d'enregistrement attendu"),
		v.minLength(1, "Identifiant d'enregistrement attendu"),
		v.maxLength(128, "Identifiant d'enregistrement trop long")
	),
	schemaVersion: v.pipe(v.number(), v.safeInteger('Version de schéma entière attendue'), v.minValue(1)),
	/** Device clock: informative only, never used to order or merge. */
	createdAt: InstantSchema,
	payload: v.unknown()
});
/** A mutation as the tablet builds it; `payload` is checked per kind by the server. */
export type Mutation = Omit<v.InferOutput<typeof MutationSchema>, 'kind'> & { kind: MutationKind };

export const PushRequestSchema = v.strictObject({
	protocol: ProtocolSchema,
	mutations: v.pipe(
		v.array(MutationSchema, 'Liste de mutations attendue'),
		v.minLength(1, 'Au moins une mutation'),
		v.maxLength(LIMITS.maxMutationsPerPush, `Au plus ${LIMITS.maxMutationsPerPush} mutations par envoi`),
		v.check(
			(mutations) => mutations.every((m, i) => i === 0 || m.mutationId > (mutations[i - 1]?.mutationId ?? 0)),
			'Les identifiants de mutation doivent croître strictement dans un envoi'
		)
	)
});
export type PushRequest = { protocol: typeof PROTOCOL_VERSION; mutations: Mutation[] };

export const MUTATION_STATUSES = ['applied', 'duplicate', 'rejected', 'retry'] as const;
export type MutationStatus = (typeof MUTATION_STATUSES)[number];

/**
 * Why a mutation was rejected (acknowledged, never applied). `not_found` also answers a record of another
 * bus: a tablet cannot tell "not yours" from "does not exist", so it learns nothing of other buses.
 */
export const REJECTION_REASONS = [
	'unknown_kind',
	'unsupported_schema_version',
	'invalid_payload',
	'entity_mismatch',
	'not_found',
	'conflict',
	'status_backwards'
] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

/**
 * Why a mutation must be sent again (not applied, not acknowledged). `gap`: an earlier id has not arrived;
 * send from `lastMutationId + 1`. `id_reused`: this id was acknowledged before for another mutation (a
 * restored or cleared tablet counting again from an old number); renumber every pending mutation from
 * `lastMutationId + 1`, in queue order, and send them again.
 */
export const RETRY_REASONS = ['gap', 'id_reused'] as const;
export type RetryReason = (typeof RETRY_REASONS)[number];

export const MutationResultSchema = v.object({
	mutationId: v.number(),
	status: v.picklist(MUTATION_STATUSES),
	/** A RejectionReason with `rejected`, a RetryReason with `retry`; read leniently (a newer server may add one). */
	reason: v.optional(v.string()),
	/** French detail of a rejection (the field and the rule), for the crew and the coordinator. */
	detail: v.optional(v.string())
});
export type MutationResult = v.InferOutput<typeof MutationResultSchema>;

export const PushResponseSchema = v.object({
	protocol: v.literal(PROTOCOL_VERSION),
	results: v.array(MutationResultSchema),
	/**
	 * The device's ledger: its highest acknowledged mutation id. It acknowledges nothing by itself (a tablet
	 * forgets an entry only on a result naming its id); after `retry` it is where the tablet counts from.
	 */
	lastMutationId: v.number(),
	serverTime: v.string()
});
export type PushResponse = v.InferOutput<typeof PushResponseSchema>;

// ---- Pull ---------------------------------------------------------------------------------------------

export const PullRequestSchema = v.strictObject({
	protocol: ProtocolSchema,
	/** What `encodeCursor` makes (`c1.<seq in base 36>`), or null for the beginning. */
	cursor: v.nullable(
		v.pipe(
			v.string('Curseur attendu (ou null)'),
			v.regex(/^c1\.[0-9a-z]{1,11}$/, 'curseur inconnu de ce serveur, reprenez avec cursor: null')
		)
	),
	limit: v.optional(
		v.pipe(
			v.number('Nombre attendu'),
			v.integer('Nombre entier attendu'),
			v.minValue(1, 'Au moins 1'),
			v.maxValue(LIMITS.maxPullLimit, `Au plus ${LIMITS.maxPullLimit}`)
		)
	)
});
export type PullRequest = v.InferOutput<typeof PullRequestSchema>;

export const CHANGE_ENTITIES = ['bus', 'stop', 'serviceDay', 'referral'] as const;
export type ChangeEntity = (typeof CHANGE_ENTITIES)[number];

export const ChangeSchema = v.object({
	seq: v.number(),
	entity: v.picklist(CHANGE_ENTITIES),
	op: v.picklist(['put', 'delete']),
	id: v.string(),
	/** The whole record for `put` (domain Bus, Stop, ServiceDay or Referral); absent for `delete`. */
	data: v.optional(v.unknown())
});
export type Change = v.InferOutput<typeof ChangeSchema>;

export const PullResponseSchema = v.object({
	protocol: v.literal(PROTOCOL_VERSION),
	changes: v.array(ChangeSchema),
	cursor: v.string(),
	hasMore: v.boolean(),
	/** The device's ledger, as in a push answer: informative, it acknowledges nothing. */
	lastMutationId: v.number(),
	serverTime: v.string()
});
export type PullResponse = v.InferOutput<typeof PullResponseSchema>;
