/**
 * The wire protocol of sync, versions 1 and 2 (docs/sync-protocol.md): the bodies of every request and
 * response, as valibot schemas and their types, so the tablet and the server read the same definitions.
 * This app sends version 2; the server also answers version 1, which tablets still running an older app
 * send. The two differ only in the push request's envelope (see `PushRequestV2Schema`); every answer
 * carries the version of its request.
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

/** The version this app sends. */
export const PROTOCOL_VERSION = 2;
/** The versions the server answers: 1 is what tablets on an older app still send. */
export const PROTOCOL_VERSIONS = [1, 2] as const;
export type ProtocolVersion = (typeof PROTOCOL_VERSIONS)[number];

export function isProtocolVersion(value: unknown): value is ProtocolVersion {
	return (PROTOCOL_VERSIONS as readonly unknown[]).includes(value);
}

/** Bounds of a request; the server answers 413 payload_too_large above the byte caps. */
export const LIMITS = {
	maxMutationsPerPush: 500,
	/** Decompressed body size of a push. */
	maxPushBytes: 2 * 1024 * 1024,
	/** Decompressed body size of an enroll or a pull. */
	maxSmallBodyBytes: 16 * 1024,
	/** Mutations one range check covers at most: a whole backlog of a year, in one request of 150 bytes. */
	maxMutationsPerRangeCheck: 20_000,
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

const PROTOCOL_MESSAGE = `Version de protocole attendue : ${PROTOCOL_VERSIONS.join(' ou ')}`;
/** Enroll and pull bodies are the same in every version. */
const ProtocolSchema = v.picklist(PROTOCOL_VERSIONS, PROTOCOL_MESSAGE);
/** An answer carries the version of its request. */
const AnswerProtocolSchema = v.picklist(PROTOCOL_VERSIONS);

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
	'visit.withdraw',
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
 * A visit withdrawn by the crew the same day (docs/sync-conflicts.md): the visit leaves the counts, the
 * server keeps both records. No reason: nothing reads one yet, and a later version can add a closed list.
 */
export const VisitWithdrawalSchema = v.strictObject({
	visitId: UuidSchema,
	/** Device clock: informative only. */
	at: InstantSchema
});
export type VisitWithdrawal = v.InferOutput<typeof VisitWithdrawalSchema>;

/**
 * The payload schema of each kind, per schema version. A new payload shape adds a version here and keeps
 * the older ones, so a tablet still running an older app can push what it queued (Replicache's rule).
 */
export const PAYLOAD_SCHEMAS = {
	'visit.create': { 1: VisitSchema },
	'referral.create': { 1: ReferralSchema },
	'referral.status': { 1: ReferralStatusChangeSchema },
	'serviceDay.report': { 1: ServiceDayReportSchema },
	'visit.withdraw': { 1: VisitWithdrawalSchema },
	'serviceDay.open': { 1: ServiceDayOpenSchema }
} as const satisfies Record<MutationKind, Record<number, v.GenericSchema>>;

/** The schema version this app writes for each kind. */
export const CURRENT_SCHEMA_VERSION: Record<MutationKind, number> = {
	'visit.create': 1,
	'referral.create': 1,
	'referral.status': 1,
	'serviceDay.report': 1,
	'visit.withdraw': 1,
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
	'visit.withdraw': UuidSchema,
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
	'visit.withdraw': VisitWithdrawal;
	'serviceDay.open': ServiceDayOpen;
}

const MutationIdSchema = v.pipe(
	v.number('Identifiant de mutation attendu (entier)'),
	v.safeInteger('Identifiant de mutation entier attendu'),
	v.minValue(1, 'Identifiant de mutation de 1 au moins')
);
/** A string here, checked against MUTATION_KINDS per mutation: an unknown kind rejects that one only. */
const KindSchema = v.pipe(
	v.string('Type de mutation attendu'),
	v.regex(/^[a-z][A-Za-z]{0,31}(\.[a-z][A-Za-z]{0,31})?$/, 'Type de mutation attendu (ex. visit.create)')
);
/** Its shape depends on the kind (ENTITY_ID_SCHEMAS), checked per mutation; bounded here. */
const EntityIdSchema = v.pipe(
	v.string("Identifiant d'enregistrement attendu"),
	v.minLength(1, "Identifiant d'enregistrement attendu"),
	v.maxLength(128, "Identifiant d'enregistrement trop long")
);
const SchemaVersionSchema = v.pipe(
	v.number(),
	v.safeInteger('Version de schéma entière attendue'),
	v.minValue(1)
);
const batchSize = <T extends v.GenericSchema>(item: T) =>
	v.pipe(
		v.array(item, 'Liste de mutations attendue'),
		v.minLength(1, 'Au moins une mutation'),
		v.maxLength(LIMITS.maxMutationsPerPush, `Au plus ${LIMITS.maxMutationsPerPush} mutations par envoi`)
	);

/** A mutation in a protocol 1 push: every field spelled out. */
export const MutationSchema = v.strictObject({
	/** Per device, strictly increasing, dense, from 1. */
	mutationId: MutationIdSchema,
	kind: KindSchema,
	entityId: EntityIdSchema,
	schemaVersion: SchemaVersionSchema,
	/** Device clock: informative only, never used to order or merge (protocol 2 leaves it out). */
	createdAt: InstantSchema,
	payload: v.unknown()
});
/** A mutation as the tablet's outbox holds it; `payload` is checked per kind by the server. */
export type Mutation = Omit<v.InferOutput<typeof MutationSchema>, 'kind'> & { kind: MutationKind };

/** The push body of protocol 1, which tablets on an older app still send. */
export const PushRequestV1Schema = v.strictObject({
	protocol: v.literal(1, PROTOCOL_MESSAGE),
	mutations: v.pipe(
		batchSize(MutationSchema),
		v.check(
			(mutations) => mutations.every((m, i) => i === 0 || m.mutationId > (mutations[i - 1]?.mutationId ?? 0)),
			'Les identifiants de mutation doivent croître strictement dans un envoi'
		)
	)
});
export type PushRequestV1 = { protocol: 1; mutations: Mutation[] };

/**
 * A mutation in a protocol 2 push: only what the server uses. Its id is the batch's `firstMutationId` plus
 * its rank; `entityId` is left out when it is the payload's `id` (a visit, a referral); the device clock
 * (`createdAt`) stays on the tablet. Measured on 10,000 visits (npm run bench), those three fields were
 * most of what the envelope cost after gzip.
 */
export const WireMutationSchema = v.strictObject({
	kind: KindSchema,
	entityId: v.optional(EntityIdSchema),
	schemaVersion: SchemaVersionSchema,
	payload: v.unknown()
});
export type WireMutation = Omit<v.InferOutput<typeof WireMutationSchema>, 'kind'> & { kind: MutationKind };

/** The push body of protocol 2, which this app sends: mutations numbered from `firstMutationId`, no hole. */
export const PushRequestV2Schema = v.strictObject({
	protocol: v.literal(2, PROTOCOL_MESSAGE),
	firstMutationId: MutationIdSchema,
	mutations: batchSize(WireMutationSchema)
});
export type PushRequest = { protocol: 2; firstMutationId: number; mutations: WireMutation[] };

/** A push body of either version; `protocol` picks the shape. */
export const PushRequestSchema = v.variant('protocol', [PushRequestV1Schema, PushRequestV2Schema]);

/** How many hexadecimal characters of a mutation's digest a check carries (64 bits). */
export const DIGEST_PREFIX_LENGTH = 16;

/**
 * A check (protocol 2): instead of the mutations, the first 16 hexadecimal characters of each one's digest
 * (SHA-256 of `mutationCanonical`), ids counting up from `firstMutationId`. The tablet sends it for entries
 * it sent before without getting an answer; the server answers each id from the device's ledger alone
 * (`duplicate`, the recorded rejection, `retry`, or `unknown`: send that one in full).
 */
export const PushCheckSchema = v.strictObject({
	protocol: v.literal(2, PROTOCOL_MESSAGE),
	firstMutationId: MutationIdSchema,
	digests: v.pipe(
		v.array(
			v.pipe(
				v.string("Début d'empreinte attendu"),
				v.regex(
					new RegExp(`^[0-9a-f]{${DIGEST_PREFIX_LENGTH}}$`),
					`Début d'empreinte attendu (${DIGEST_PREFIX_LENGTH} caractères hexadécimaux en minuscules)`
				)
			),
			"Liste de débuts d'empreintes attendue"
		),
		v.minLength(1, 'Au moins une empreinte'),
		v.maxLength(LIMITS.maxMutationsPerPush, `Au plus ${LIMITS.maxMutationsPerPush} empreintes par envoi`)
	)
});
export type PushCheck = v.InferOutput<typeof PushCheckSchema>;

/** Whether a push body asks for a check (it carries `digests`) rather than mutations. */
export function isPushCheck(body: unknown): boolean {
	return typeof body === 'object' && body !== null && !Array.isArray(body) && 'digests' in body;
}

/**
 * A range check (protocol 2): one digest for a whole run of mutations sent before, `firstMutationId` to
 * `lastMutationId`: the SHA-256, hexadecimal, of their digest prefixes end to end in id order
 * (`rangeDigestText`). When the server holds exactly those mutations it answers the run in a few results
 * (runs of `duplicate` with `through`, and each recorded rejection); when it holds none of them, one run of
 * `unknown`; otherwise no result at all: ask again with a check of each prefix.
 */
export const PushRangeCheckSchema = v.pipe(
	v.strictObject({
		protocol: v.literal(2, PROTOCOL_MESSAGE),
		firstMutationId: MutationIdSchema,
		lastMutationId: MutationIdSchema,
		rangeDigest: v.pipe(
			v.string("Empreinte d'intervalle attendue"),
			v.regex(/^[0-9a-f]{64}$/, "Empreinte d'intervalle attendue (64 caractères hexadécimaux en minuscules)")
		)
	}),
	v.forward(
		v.check(
			(check) => check.lastMutationId >= check.firstMutationId,
			'Dernier identifiant : au moins le premier'
		),
		['lastMutationId']
	),
	v.forward(
		v.check(
			(check) => check.lastMutationId - check.firstMutationId < LIMITS.maxMutationsPerRangeCheck,
			`Au plus ${LIMITS.maxMutationsPerRangeCheck} mutations par vérification d'intervalle`
		),
		['lastMutationId']
	)
);
export type PushRangeCheck = v.InferOutput<typeof PushRangeCheckSchema>;

/** Whether a push body is a range check (it carries `rangeDigest`). */
export function isPushRangeCheck(body: unknown): boolean {
	return typeof body === 'object' && body !== null && !Array.isArray(body) && 'rangeDigest' in body;
}

/** The text a range check's digest is taken of: the digest prefixes of its mutations, end to end, in id order. */
export function rangeDigestText(prefixes: readonly string[]): string {
	return prefixes.join('');
}

/** The range check of consecutive outbox entries that each carry their digest prefix (`rangeDigest`: SHA-256 hex of `rangeDigestText`). */
export function toPushRangeCheck(
	batch: readonly { mutationId: number }[],
	rangeDigest: string
): PushRangeCheck {
	const first = batch[0];
	const last = batch.at(-1);
	if (!first || !last || !isConsecutive(batch))
		throw new Error('A range check covers consecutive mutation ids, at least one');
	return { protocol: 2, firstMutationId: first.mutationId, lastMutationId: last.mutationId, rangeDigest };
}

/**
 * The text a mutation's digest is taken of, the same on both ends: the server hashes what it received
 * (`entityId` as it reads it, the payload as parsed), the tablet what it will send. `createdAt` is left out.
 */
export function mutationCanonical(mutation: {
	kind: string;
	entityId: string;
	schemaVersion: number;
	payload: unknown;
}): string {
	const { kind, entityId, schemaVersion, payload } = mutation;
	return JSON.stringify([kind, entityId, schemaVersion, payload ?? null]);
}

/** The check of consecutive outbox entries that each carry their digest prefix. */
export function toPushCheck(batch: readonly { mutationId: number; digest: string }[]): PushCheck {
	const first = batch[0];
	if (!first || !isConsecutive(batch))
		throw new Error('A check carries consecutive mutation ids, at least one');
	return {
		protocol: 2,
		firstMutationId: first.mutationId,
		digests: batch.map((entry) => entry.digest)
	};
}

/** Whether each mutation's id follows the one before it (a protocol 2 push carries ids without holes). */
export function isConsecutive(batch: readonly { mutationId: number }[]): boolean {
	return batch.every((m, i) => i === 0 || m.mutationId === (batch[i - 1]?.mutationId ?? 0) + 1);
}

/** The payload's `id`, when it is a string: what protocol 2 lets `entityId` default to. */
function payloadId(payload: unknown): string | undefined {
	const id = typeof payload === 'object' && payload !== null ? (payload as { id?: unknown }).id : undefined;
	return typeof id === 'string' ? id : undefined;
}

/** The protocol 2 body of consecutive outbox mutations (the tablet splits its queue at a hole). */
export function toPushRequest(batch: readonly Mutation[]): PushRequest {
	const first = batch[0];
	if (!first || !isConsecutive(batch))
		throw new Error('A push carries consecutive mutation ids, at least one');
	return {
		protocol: 2,
		firstMutationId: first.mutationId,
		mutations: batch.map(({ kind, entityId, schemaVersion, payload }) =>
			entityId === payloadId(payload)
				? { kind, schemaVersion, payload }
				: { kind, entityId, schemaVersion, payload }
		)
	};
}

/** A mutation as the server handles it, whichever protocol carried it. */
export interface NumberedMutation {
	mutationId: number;
	kind: string;
	entityId: string;
	schemaVersion: number;
	payload: unknown;
}

/**
 * The mutations of a validated push body of either version, numbered, each with its `entityId` (protocol 2:
 * the payload's `id` when left out; an empty string when there is none, which the kind's id check then
 * rejects for that mutation only). The same mutation reads the same from both versions, so its digest does.
 */
export function numberedMutations(body: v.InferOutput<typeof PushRequestSchema>): NumberedMutation[] {
	if (body.protocol === 1) {
		return body.mutations.map(({ mutationId, kind, entityId, schemaVersion, payload }) => ({
			mutationId,
			kind,
			entityId,
			schemaVersion,
			payload
		}));
	}
	return body.mutations.map(({ kind, entityId, schemaVersion, payload }, index) => ({
		mutationId: body.firstMutationId + index,
		kind,
		entityId: entityId ?? payloadId(payload) ?? '',
		schemaVersion,
		payload
	}));
}

/** `unknown` answers a check only: the server has never acknowledged that id; send the mutation in full. */
export const MUTATION_STATUSES = ['applied', 'duplicate', 'rejected', 'retry', 'unknown'] as const;
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
	detail: v.optional(v.string()),
	/**
	 * The last id of a run: every id from `mutationId` to `through` has this status (no reason). Only in the
	 * answer to a range check, so tablets that never send one never read it.
	 */
	through: v.optional(v.number())
});
export type MutationResult = v.InferOutput<typeof MutationResultSchema>;

/**
 * The results one per id, runs (`through`) spelled out. A run longer than a range check may cover is not an
 * answer this client asked for: null (an invalid response).
 */
export function expandResults(results: readonly MutationResult[]): MutationResult[] | null {
	const expanded: MutationResult[] = [];
	for (const { through, ...result } of results) {
		if (through === undefined) {
			expanded.push(result);
			continue;
		}
		const count = through - result.mutationId + 1;
		if (!Number.isInteger(count) || count < 1 || count > LIMITS.maxMutationsPerRangeCheck) return null;
		for (let id = result.mutationId; id <= through; id++) expanded.push({ ...result, mutationId: id });
	}
	return expanded;
}

export const PushResponseSchema = v.object({
	protocol: AnswerProtocolSchema,
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
	protocol: AnswerProtocolSchema,
	changes: v.array(ChangeSchema),
	cursor: v.string(),
	hasMore: v.boolean(),
	/** The device's ledger, as in a push answer: informative, it acknowledges nothing. */
	lastMutationId: v.number(),
	serverTime: v.string()
});
export type PullResponse = v.InferOutput<typeof PullResponseSchema>;
