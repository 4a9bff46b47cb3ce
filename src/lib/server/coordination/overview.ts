/**
 * What the coordination overview shows, for the buses of a caller's scope only: the network's size, the buses
 * that have a planned circuit and the check-ins their tablets recorded, the demo's enrollment codes, the tablets,
 * the off-plan stops their crews opened (marked "hors circuit") and the records their tablets sent that the
 * server could never accept (kind, reason, when: never the payload, which may be personal).
 */
import { addDays, localDateIn } from '$lib/domain/calendar';
import type { Circuit } from '$lib/domain/schedule';
import type { BusScope } from '../access/scope';
import { filterInScope, isInScope } from '../access/scope';
import type { DemoEnrollmentCode } from '../sync/demo-codes';
import type { RejectedMutationRecord, Store } from '../store/store';

/** How many refused records the overview lists per bus (the newest first). */
const REJECTIONS_PER_BUS = 20;
/** How many off-plan days the overview lists at most, and over how many past days. */
const OFF_PLAN_LISTED = 200;
const OFF_PLAN_PAST_DAYS = 14;
/** How many tablets the overview lists at most. */
const DEVICES_LISTED = 1000;

/** What the page shows of a device id ("dev-" and 8 characters): enough to tell tablets apart, not a credential. */
export const deviceRef = (id: string): string => id.slice(0, 12);

export async function readCoordinationOverview(
	store: Store,
	scope: BusScope,
	demoCodes: readonly DemoEnrollmentCode[],
	now: Date = new Date()
) {
	// A fixed number of reads whatever the number of buses (overview.spec.ts counts them): the buses, every
	// circuit, each bus's days counted in its own zone's next 12 weeks, each bus's check-ins, the newest
	// rejections of each bus.
	const buses = (await store.buses.list()).filter((bus) => isInScope(scope, bus.id));
	const circuitsByBus = new Map<string, Circuit[]>();
	for (const circuit of await store.circuits.listAll()) {
		circuitsByBus.set(circuit.busId, [...(circuitsByBus.get(circuit.busId) ?? []), circuit]);
	}
	const withCircuits = buses.filter((bus) => circuitsByBus.has(bus.id));
	const counts = await store.serviceDays.countByBus(
		withCircuits.map((bus) => {
			const today = localDateIn(now, bus.timeZone);
			return { busId: bus.id, range: { from: today, to: addDays(today, 12 * 7) } };
		})
	);
	// Each check-in once, in its current version; a withdrawn one not at all (sync-records.ts).
	const visits = await store.syncRecords.countVisitsByBus(withCircuits.map((bus) => bus.id));
	const planned = withCircuits.map((bus) => ({
		id: bus.id,
		name: bus.name,
		departement: bus.departement,
		homeCommune: bus.homeCommune,
		timeZone: bus.timeZone,
		rules: (circuitsByBus.get(bus.id) ?? []).reduce((sum, circuit) => sum + circuit.rules.length, 0),
		serviceDays: counts.get(bus.id)?.days ?? 0,
		cancelled: counts.get(bus.id)?.cancelled ?? 0,
		visits: visits.get(bus.id) ?? 0
	}));
	// Each time is shown as the clocks of its bus's zone show it (the page names the zone when it is not Paris's).
	const zones = new Map(buses.map((bus) => [bus.id, bus.timeZone]));
	const zoneOf = (busId: string): string => zones.get(busId) ?? 'Europe/Paris';
	// Demo credentials, not personal data: shown so a visitor can enrol a tablet.
	const enrollmentCodes = demoCodes
		.filter((code) => isInScope(scope, code.busId))
		.map(({ busId, busName, code, expiresAt }) => ({
			busId,
			busName,
			code,
			expiresOn: localDateIn(new Date(expiresAt), zoneOf(busId))
		}));
	const rejectionsByBus = new Map<string, RejectedMutationRecord[]>();
	const newest = await store.syncRecords.listRejectionsByBus(
		planned.map((bus) => bus.id),
		REJECTIONS_PER_BUS
	);
	for (const rejection of newest) {
		rejectionsByBus.set(rejection.busId, [...(rejectionsByBus.get(rejection.busId) ?? []), rejection]);
	}
	// In the order of the planned buses, each bus's newest first (as the page always listed them).
	const rejections = planned.flatMap((bus) =>
		(rejectionsByBus.get(bus.id) ?? []).map((rejection) => ({
			busName: bus.name,
			timeZone: bus.timeZone,
			deviceId: rejection.deviceId,
			mutationId: rejection.mutationId,
			kind: rejection.kind,
			reason: rejection.reason,
			detail: rejection.detail,
			at: rejection.at
		}))
	);
	const busNames = new Map(buses.map((bus) => [bus.id, bus.name]));
	// Off-plan days of the last two weeks (and tomorrow's, for a zone ahead of Paris), newest first.
	const parisToday = localDateIn(now, 'Europe/Paris');
	const offPlan = (
		await store.serviceDays.listOffPlan(
			{ from: addDays(parisToday, -OFF_PLAN_PAST_DAYS), to: addDays(parisToday, 1) },
			OFF_PLAN_LISTED
		)
	)
		.filter((day) => isInScope(scope, day.busId))
		.map((day) => ({
			id: day.id,
			busName: busNames.get(day.busId) ?? day.busId,
			timeZone: zoneOf(day.busId),
			date: day.date,
			start: day.start,
			end: day.end,
			status: day.status,
			reason: day.reason,
			commune: day.stop.commune,
			postalCode: day.stop.postalCode,
			place: day.stop.place,
			stopId: day.stop.id
		}));
	const devices = filterInScope(scope, await store.devices.list(DEVICES_LISTED))
		.map((device) => ({
			id: device.id,
			ref: deviceRef(device.id),
			busName: busNames.get(device.busId) ?? device.busId,
			timeZone: zoneOf(device.busId),
			appVersion: device.appVersion,
			enrolledAt: device.createdAt,
			lastSeenAt: device.lastSeenAt,
			revokedAt: device.revokedAt
		}))
		.sort((a, b) => a.busName.localeCompare(b.busName, 'fr') || b.enrolledAt.localeCompare(a.enrolledAt));
	return { busCount: buses.length, planned, enrollmentCodes, devices, rejections, offPlan };
}
