/**
 * Buses, stops, circuits and service days: the schedule.
 *
 * The unit of the schedule is the **service day**: one bus at one stop on one local date within one time
 * window, with a status. Circuits are rules that generate service days; a coordinator may then edit any
 * single one (cancel it, move it), which is why generated ids are deterministic: regenerating a circuit
 * finds the same ids and leaves edited days alone.
 */
import type { LocalDate, LocalTime, TimeWindow, Weekday } from './calendar';
import type { Territory } from './territory';

export interface Bus {
	/** Escale's id, stable: `fs-<id_fs>` for buses from the ANCT list. */
	id: string;
	/** The ANCT `id_fs` of the national list of France services. */
	anctId: string;
	name: string;
	kind: 'bus' | 'itinerant';
	departement: string;
	territory: Territory;
	/** IANA time zone, derived from the territory (Europe/Paris, America/Cayenne...). */
	timeZone: string;
	homeInsee: string;
	homeCommune: string;
	homePostalCode: string;
	homeAddress: string;
	latitude: number;
	longitude: number;
	phone: string | null;
	email: string | null;
	/** Whether the bus takes appointments (`prise_rdv`). */
	takesAppointments: boolean;
}

export interface Stop {
	id: string;
	busId: string;
	/** INSEE code of the commune (not the postal code). */
	insee: string;
	commune: string;
	postalCode: string;
	/** Where exactly the bus parks, in words: "Place de la mairie". */
	place: string;
	address: string | null;
	accessNotes: string | null;
	latitude: number;
	longitude: number;
	/**
	 * Set (true) on a stop a crew opened off-plan, in a commune its circuit does not serve there: its
	 * coordinates are approximate (another stop of the bus in the commune, else the bus's home). Absent otherwise.
	 */
	offPlan?: true;
}

export type Recurrence =
	/** Every week on the given weekdays. */
	| { kind: 'weekly'; weekdays: Weekday[] }
	/** ISO weeks of the given parity ("semaines paires / impaires"); not the same as every 2 weeks. */
	| { kind: 'isoWeekParity'; parity: 'even' | 'odd'; weekdays: Weekday[] }
	/** The nth weekday(s) of each month: `nths: [1, 3]` = 1st and 3rd; `-1` = the last one. */
	| { kind: 'nthWeekdayOfMonth'; weekday: Weekday; nths: Array<1 | 2 | 3 | 4 | 5 | -1> }
	/** Every `interval` weeks counted from the ISO week of `anchor`, on the given weekdays. */
	| { kind: 'everyNWeeks'; interval: number; anchor: LocalDate; weekdays: Weekday[] }
	/** An explicit list of dates ("two days a month"). */
	| { kind: 'dates'; dates: LocalDate[] };

export interface CircuitRule {
	id: string;
	stopId: string;
	recurrence: Recurrence;
	window: TimeWindow;
	/** First date the rule applies (inclusive). */
	validFrom: LocalDate;
	/** Last date the rule applies (inclusive); null = open-ended. */
	validUntil: LocalDate | null;
	/** Dates the rule does not produce (closures, a known absence). */
	exceptDates: LocalDate[];
}

export interface Circuit {
	id: string;
	busId: string;
	name: string;
	rules: CircuitRule[];
}

/** A service day's public status, in the order of its life. */
export const SERVICE_DAY_STATUSES = ['planned', 'held', 'cancelled', 'moved'] as const;
export type ServiceDayStatus = (typeof SERVICE_DAY_STATUSES)[number];

/** What a crew reports about its service day: held, late (with a delay) or cancelled (with a reason). */
export const SERVICE_DAY_REPORTS = ['held', 'late', 'cancelled'] as const;
export type ServiceDayReportKind = (typeof SERVICE_DAY_REPORTS)[number];
/** Why a service day was cancelled (the cancellation reasons; their words: $lib/i18n/labels). */
export const SERVICE_DAY_REPORT_REASONS = ['breakdown', 'weather', 'staff', 'other'] as const;
export type ServiceDayReportReason = (typeof SERVICE_DAY_REPORT_REASONS)[number];

export interface ServiceDay {
	/** Deterministic for generated days: `<ruleId>@<date>`. */
	id: string;
	busId: string;
	stopId: string;
	/** The rule that generated it; null for a day added by hand. */
	ruleId: string | null;
	date: LocalDate;
	start: LocalTime;
	end: LocalTime;
	status: ServiceDayStatus;
	/** Why it was cancelled or moved, in words the public can read. */
	reason: string | null;
	/** Set (true) on an off-plan day: a crew opened it on the day (`serviceDay.open`), no rule made it. */
	offPlan?: true;
}
