/**
 * What the bench pushes: a server database seeded with one bus, its stop and a year of service days, a
 * device enrolled over HTTP, and realistic visits (1-3 requests each, optional fields as the crew fills
 * them), valid against the domain schema. A seeded generator makes every run push the same bytes.
 */
import { currentReference } from '$lib/domain/reference';
import type { Bus, ServiceDay, Stop } from '$lib/domain/schedule';
import {
	AGE_BANDS,
	REQUEST_OUTCOMES,
	SOCIAL_STATUSES,
	VISIT_CHANNELS,
	parseVisit,
	type Visit
} from '$lib/domain/visit';
import type { Transport } from '$lib/client/sync/transport';
import { issueEnrollmentCode } from '$lib/server/sync/codes';
import type { Store } from '$lib/server/store/store';
import { EnrollResponseSchema, makeToken } from '$lib/sync';
import { makeBus } from '$factories/bus';
import { makeServiceDay, makeStop } from '$factories/schedule';
import { seedSchedule } from '$factories/store';
import { enrollmentRequest } from '$factories/sync';

export const BUS_ID = 'fs-9001';

const bus: Bus = makeBus({
	id: BUS_ID,
	anctId: '9001',
	name: 'France services itinérant du banc d’essai'
});

const stop: Stop = makeStop({ id: `${BUS_ID}-ahun`, busId: BUS_ID });

/** One service day a week for a year: 10,000 visits is about a year of one bus's work. */
export function serviceDays(count = 52): ServiceDay[] {
	return Array.from({ length: count }, (_, week) => {
		const date = new Date(Date.UTC(2026, 0, 6 + 7 * week)).toISOString().slice(0, 10);
		return makeServiceDay({
			id: `${BUS_ID}-banc@${date}`,
			busId: BUS_ID,
			stopId: stop.id,
			ruleId: null,
			date,
			end: '16:00'
		});
	});
}

export async function seedStore(store: Store, days: ServiceDay[]): Promise<void> {
	await seedSchedule({ buses: [bus], stops: [stop], days })(store);
}

/** Issues a code on the server and enrolls a device with it through the real endpoint; returns its token. */
export async function enrollOverHttp(store: Store, transport: Transport): Promise<string> {
	const { code } = await issueEnrollmentCode(store, BUS_ID);
	return enrollWithCode(transport, code);
}

/** Enrolls a device with an issued code through the real endpoint, as a tablet does; returns its token. */
export async function enrollWithCode(transport: Transport, code: string): Promise<string> {
	const { body, secret } = await enrollmentRequest(code, { appVersion: '0.1.0' });
	const answer = await transport.post('/api/sync/enroll', body, EnrollResponseSchema);
	if (!answer.ok) throw new Error(`enrollment failed: ${answer.kind}`);
	return makeToken(answer.body.deviceId, secret);
}

/** mulberry32: a small seeded generator, so that runs compare. */
export function random(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** A UUID v4 from the seeded generator (the schema wants a UUID; crypto.randomUUID is not seedable). */
function uuid(next: () => number): string {
	const hex = Array.from({ length: 32 }, () => Math.floor(next() * 16).toString(16));
	hex[12] = '4';
	hex[16] = ((Number.parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
	const s = hex.join('');
	return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

function pick<T>(next: () => number, items: readonly T[]): T {
	const item = items[Math.floor(next() * items.length)];
	if (item === undefined) throw new Error('pick from an empty list');
	return item;
}

/** `count` valid visits of bus `busId` spread over `days`, checked with the domain's own parser. */
export function generateVisits(count: number, days: ServiceDay[], seed = 42, busId = BUS_ID): Visit[] {
	const next = random(seed);
	const { partners, themes, version } = currentReference;
	const visits: Visit[] = [];
	for (let i = 0; i < count; i++) {
		const day = days[Math.floor((i * days.length) / count)] ?? days[0];
		if (!day) throw new Error('no service day to record visits on');
		const minutes = 9 * 60 + Math.floor(next() * 420);
		const requests = Array.from({ length: 1 + Math.floor(next() * 3) }, () => ({
			partner: pick(next, partners).code,
			theme: pick(next, themes).code,
			outcome: pick(next, REQUEST_OUTCOMES),
			...(next() < 0.4 ? { onlineProcedure: true } : {})
		}));
		const visit: Visit = {
			id: uuid(next),
			busId,
			serviceDayId: day.id,
			recordedAt: new Date(Date.parse(`${day.date}T00:00:00Z`) + minutes * 60_000).toISOString(),
			channel: pick(next, VISIT_CHANNELS),
			referenceVersion: version,
			requests,
			...(next() < 0.7 ? { durationMinutes: 5 + Math.floor(next() * 40) } : {}),
			...(next() < 0.6 ? { ageBand: pick(next, AGE_BANDS) } : {}),
			...(next() < 0.5 ? { socialStatus: pick(next, SOCIAL_STATUSES) } : {}),
			...(next() < 0.5 ? { residenceInsee: '23001' } : {})
		};
		const parsed = parseVisit(visit);
		if (!parsed.ok) throw new Error(`generated an invalid visit: ${JSON.stringify(parsed.issues)}`);
		visits.push(parsed.value);
	}
	return visits;
}
