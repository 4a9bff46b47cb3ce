/**
 * An off-plan stop the crew opens today: a service day its circuit did not plan, in a commune of the official
 * list, at a place in words, between two times. It is stored as a held, off-plan service day (and its stop
 * when the bus has none of that commune and place) with its `serviceDay.open` mutation, in one transaction, so
 * visits and reports can be recorded on it at once; the server applies it the same way (server/sync/apply.ts).
 */
import { localDateIn } from '$lib/domain/calendar';
import { offPlanIds, offPlanStopFor, ServiceDayOpenSchema, type ServiceDayOpen } from '$lib/domain/off-plan';
import type { ServiceDay } from '$lib/domain/schedule';
import { parseWith } from '$lib/domain/validation';
import { findHeldCommune } from './communes';
import { InvalidRecordError, withStorageErrors } from './errors';
import { getMeta } from './meta';
import { enqueue, outboxTables, withDigest } from './outbox';
import { getBus, listStops } from './schedule';
import type { EscaleDb } from './schema';

export interface OffPlanStopInput {
	insee: string;
	place: string;
	start: string;
	end: string;
}

const RECORD = 'offPlanStop' satisfies InvalidRecordError['record'];
const invalid = (path: string, message: string) => new InvalidRecordError(RECORD, [{ path, message }]);

/**
 * Opens an off-plan stop on the bus's today (in its zone, at `now`). Rejects with InvalidRecordError (nothing
 * written) for an unknown commune, a place or times that break the rules, or a tablet not enrolled;
 * StorageFullError or StorageUnavailableError. Resolves with the new service day.
 */
export async function openOffPlanStop(
	db: EscaleDb,
	input: OffPlanStopInput,
	now: Date = new Date(),
	uuid: string = crypto.randomUUID()
): Promise<ServiceDay> {
	const busId = await getMeta(db, 'device.busId');
	const bus = busId ? await getBus(db, busId) : undefined;
	if (!bus) throw invalid('busId', 'Tablette non enrôlée');
	const commune = await findHeldCommune(db, input.insee);
	if (!commune) throw invalid('insee', 'Commune à choisir dans la liste');
	const date = localDateIn(now, bus.timeZone);
	const { serviceDayId, stopId: newStopId } = offPlanIds(bus.id, uuid, date);
	const parsed = parseWith(ServiceDayOpenSchema, {
		serviceDayId,
		busId: bus.id,
		date,
		start: input.start,
		end: input.end,
		insee: commune.insee,
		place: input.place,
		at: now.toISOString()
	});
	if (!parsed.ok) throw new InvalidRecordError(RECORD, parsed.issues);
	const open: ServiceDayOpen = parsed.value;

	const { stop, existing } = offPlanStopFor(open, commune, await listStops(db, bus.id), bus, newStopId);
	const day: ServiceDay = {
		id: serviceDayId,
		busId: bus.id,
		stopId: stop.id,
		ruleId: null,
		date,
		start: open.start,
		end: open.end,
		status: 'held',
		reason: null,
		offPlan: true
	};

	// Its digest before the transaction: WebCrypto's promise would end a Dexie transaction it was awaited in.
	const queued = await withDigest({
		kind: 'serviceDay.open',
		entityId: serviceDayId,
		payload: open,
		createdAt: open.at
	});

	// Must stay true: the day, its new stop and the queued mutation are stored together or not at all.
	return withStorageErrors(() =>
		db.transaction('rw', [db.serviceDays, db.stops, ...outboxTables(db)], async (tx) => {
			if (!existing) await tx.stops.add(stop);
			await tx.serviceDays.add(day);
			await enqueue(tx, queued);
			return day;
		})
	);
}
