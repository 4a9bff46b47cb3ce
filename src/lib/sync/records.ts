/**
 * Schemas of the schedule records the server sends (bus, stop, service day), so the tablet checks a
 * response before storing it. Lenient objects: a newer server may add fields the tablet ignores.
 */
import * as v from 'valibot';
import { SERVICE_DAY_STATUSES, type Bus, type ServiceDay, type Stop } from '$lib/domain/schedule';

const text = v.string();
const nullableText = v.nullable(v.string());

export const BusRecordSchema = v.object({
	id: text,
	anctId: text,
	name: text,
	kind: v.picklist(['bus', 'itinerant']),
	departement: text,
	territory: text,
	timeZone: text,
	homeInsee: text,
	homeCommune: text,
	homePostalCode: text,
	homeAddress: text,
	latitude: v.number(),
	longitude: v.number(),
	phone: nullableText,
	email: nullableText,
	takesAppointments: v.boolean()
});

export const StopRecordSchema = v.object({
	id: text,
	busId: text,
	insee: text,
	commune: text,
	postalCode: text,
	place: text,
	address: nullableText,
	accessNotes: nullableText,
	latitude: v.number(),
	longitude: v.number(),
	offPlan: v.optional(v.literal(true))
});

export const ServiceDayRecordSchema = v.object({
	id: text,
	busId: text,
	stopId: text,
	ruleId: nullableText,
	date: text,
	start: text,
	end: text,
	status: v.picklist(SERVICE_DAY_STATUSES),
	reason: nullableText,
	offPlan: v.optional(v.literal(true))
});

// Compile-time guard: the schemas above must keep producing the domain's types.
type Assignable<A, B extends A> = B;
export type CheckBus = Assignable<
	Omit<Bus, 'territory'>,
	Omit<v.InferOutput<typeof BusRecordSchema>, 'territory'>
>;
export type CheckStop = Assignable<Stop, v.InferOutput<typeof StopRecordSchema>>;
export type CheckServiceDay = Assignable<ServiceDay, v.InferOutput<typeof ServiceDayRecordSchema>>;
