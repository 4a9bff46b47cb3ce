/**
 * Off-plan stops (issue 11, item 2): a crew opens a service day its circuit did not plan (`serviceDay.open`),
 * at a stop of its bus or at one it opens with the day. Both are marked `off_plan`, so the coordination and the
 * public pages can say "hors circuit", and the tablets learn it through the change log: the log triggers of stops
 * and service days are made again with `offPlan` in their data (only when set, so the records of planned stops
 * and days keep the shape tablets already read).
 *
 * The trigger bodies are copied from migration 002, not imported: a shipped migration's SQL never changes.
 */
import type { Migration } from '../migrate';

const withOffPlan = (data: string) =>
	`json_patch(${data}, CASE NEW.off_plan WHEN 1 THEN '{"offPlan":true}' ELSE '{}' END)`;

const STOP_DATA = withOffPlan(`json_object('id', NEW.id, 'busId', NEW.bus_id, 'insee', NEW.insee,
	'commune', NEW.commune, 'postalCode', NEW.postal_code, 'place', NEW.place, 'address', NEW.address,
	'accessNotes', NEW.access_notes, 'latitude', NEW.latitude, 'longitude', NEW.longitude)`);

const SERVICE_DAY_DATA = withOffPlan(`json_object('id', NEW.id, 'busId', NEW.bus_id, 'stopId', NEW.stop_id,
	'ruleId', NEW.rule_id, 'date', NEW.date, 'start', NEW.start_time, 'end', NEW.end_time, 'status', NEW.status,
	'reason', NEW.reason)`);

function logTriggers(table: string, entity: string, data: string): string {
	return ['INSERT', 'UPDATE']
		.map(
			(event) => `DROP TRIGGER ${table}_log_${event.toLowerCase()};
CREATE TRIGGER ${table}_log_${event.toLowerCase()} AFTER ${event} ON ${table} BEGIN
	INSERT INTO change_log (bus_id, entity, entity_id, op, data, at)
	VALUES (NEW.bus_id, '${entity}', NEW.id, 'put', ${data}, NEW.updated_at);
END;`
		)
		.join('\n');
}

export const offPlan: Migration = {
	version: 8,
	name: 'off-plan',
	sql: `
ALTER TABLE stops ADD COLUMN off_plan INTEGER NOT NULL DEFAULT 0 CHECK (off_plan IN (0, 1));
ALTER TABLE service_days ADD COLUMN off_plan INTEGER NOT NULL DEFAULT 0 CHECK (off_plan IN (0, 1));

${logTriggers('stops', 'stop', STOP_DATA)}
${logTriggers('service_days', 'serviceDay', SERVICE_DAY_DATA)}
`
};
