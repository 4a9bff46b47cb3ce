/**
 * Calendar values of the model. A service day happens on a *local* date at *local* times of its bus's
 * territory: "mardi 8 décembre, 09:00-12:00" means Paris time for a bus in the Indre and Cayenne time for
 * a bus in Guyane. We keep them as plain strings (no Date) so they never shift with the device's zone;
 * they become instants only through `toInstant`, with the bus's IANA time zone.
 */

/** A calendar date, `YYYY-MM-DD`. */
export type LocalDate = string;
/** A wall-clock time, `HH:MM` (24 h). */
export type LocalTime = string;
/** ISO weekday: 1 = Monday ... 7 = Sunday. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export interface TimeWindow {
	start: LocalTime;
	end: LocalTime;
}
