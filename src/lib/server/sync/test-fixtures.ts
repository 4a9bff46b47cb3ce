/**
 * Test support for the sync handlers (not a test file itself): an in-memory store with two buses, A and
 * B, each with a stop and two service days, and helpers that build requests and valid records.
 */
import { randomUUID } from 'node:crypto';
import { currentReference } from '$lib/domain/reference';
import type { Bus, ServiceDay, Stop } from '$lib/domain/schedule';
import { makeToken } from '$lib/sync/enroll';
import { PROTOCOL_VERSION } from '$lib/sync/protocol';
import { createDeviceSecret, hashDeviceSecret } from '$lib/sync/secret';
import { openSqliteStore } from '../store/sqlite/sqlite-store';
import type { Store } from '../store/store';
import { issueEnrollmentCode } from './codes';
import { EnrollLimiter } from './enroll-limits';
import { handleEnroll } from './http';
import { makeBus } from '../../../../tests/factories/bus';

export const NOW = new Date('2026-03-10T09:00:00.000Z');
export const now = () => NOW;

const bus = (id: string, name: string): Bus => makeBus({ id, name });

function stop(id: string, busId: string): Stop {
	return {
		id,
		busId,
		insee: '36044',
		commune: 'Châteauroux',
		postalCode: '36000',
		place: 'Place de la mairie',
		address: null,
		accessNotes: null,
		latitude: 46.81,
		longitude: 1.69
	};
}

function day(id: string, busId: string, stopId: string, date: string): ServiceDay {
	return {
		id,
		busId,
		stopId,
		ruleId: null,
		date,
		start: '09:00',
		end: '12:00',
		status: 'planned',
		reason: null
	};
}

export const A = {
	bus: 'fs-101',
	stop: 'fs-101-mairie',
	days: ['fs-101-mardi-am@2026-03-10', 'fs-101-mardi-am@2026-03-17']
} as const;
export const B = {
	bus: 'fs-202',
	stop: 'fs-202-mairie',
	days: ['fs-202-mardi-am@2026-03-10', 'fs-202-mardi-am@2026-03-17']
} as const;

export async function openFixtureStore(): Promise<Store> {
	const store = await openSqliteStore({ file: ':memory:', now: () => NOW.toISOString() });
	await store.transaction(async (tx) => {
		await tx.buses.upsertMany([bus(A.bus, 'Bus A'), bus(B.bus, 'Bus B')]);
		await tx.stops.upsertMany([stop(A.stop, A.bus), stop(B.stop, B.bus)]);
		await tx.serviceDays.upsertGenerated([
			day(A.days[0], A.bus, A.stop, '2026-03-10'),
			day(A.days[1], A.bus, A.stop, '2026-03-17'),
			day(B.days[0], B.bus, B.stop, '2026-03-10'),
			day(B.days[1], B.bus, B.stop, '2026-03-17')
		]);
	});
	return store;
}

export function post(
	path: string,
	body: unknown,
	token?: string,
	headers: Record<string, string> = {}
): Request {
	return new Request(`http://escale.test/api/sync/${path}`, {
		method: 'POST',
		headers: {
			'Content-Type': 'application/json',
			...(token ? { Authorization: `Bearer ${token}` } : {}),
			...headers
		},
		body: typeof body === 'string' ? body : JSON.stringify(body)
	});
}

/** An enrollment request as a tablet sends it, with the secret the tablet made for it. */
export async function enrollmentRequest(
	code: string,
	fields: { appVersion?: string; secret?: string } = {}
): Promise<{ body: Record<string, unknown>; secret: string }> {
	const secret = fields.secret ?? createDeviceSecret();
	const body = {
		protocol: PROTOCOL_VERSION,
		code,
		appVersion: fields.appVersion ?? '1.0.0',
		secretHash: await hashDeviceSecret(secret)
	};
	return { body, secret };
}

/** Issues a code for the bus and enrolls a device with it; returns its id and token. */
export async function enrollDevice(
	store: Store,
	busId: string
): Promise<{ deviceId: string; token: string }> {
	const { code } = await issueEnrollmentCode(store, busId, now);
	const { body, secret } = await enrollmentRequest(code);
	const response = await handleEnroll(store, post('enroll', body), now, { limiter: new EnrollLimiter() });
	if (response.status !== 201)
		throw new Error(`enrollment failed: ${response.status} ${await response.text()}`);
	const { deviceId } = (await response.json()) as { deviceId: string };
	return { deviceId, token: makeToken(deviceId, secret) };
}

export function visit(busId: string, serviceDayId: string, id: string = randomUUID()) {
	return {
		id,
		busId,
		serviceDayId,
		recordedAt: '2026-03-10T08:15:00.000Z',
		channel: 'walkIn',
		referenceVersion: currentReference.version,
		requests: [{ partner: 'CAF', theme: 'family', outcome: 'resolved' }]
	};
}

export function referral(busId: string, visitId: string, id: string = randomUUID()) {
	return {
		id,
		visitId,
		busId,
		recordedAt: '2026-03-10T08:41:00.000Z',
		referenceVersion: currentReference.version,
		partner: 'CAF',
		target: 'franceServicesReferent',
		mode: 'partnerPlatform',
		reason: 'needsFileAccess',
		dueDate: '2026-03-24',
		status: 'open',
		history: [{ status: 'open', at: '2026-03-10T08:41:00.000Z' }],
		consent: null,
		contact: null
	};
}

export function mutation(mutationId: number, kind: string, entityId: string, payload: unknown) {
	return { mutationId, kind, entityId, schemaVersion: 1, createdAt: '2026-03-10T08:15:00.000Z', payload };
}

export const pushBody = (mutations: unknown[]) => ({ protocol: PROTOCOL_VERSION, mutations });
