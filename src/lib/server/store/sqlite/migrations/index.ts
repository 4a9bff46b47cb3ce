/**
 * Every migration, in order. To change the schema, add a file `NNN-what-it-does.ts` and append it here;
 * never edit or renumber one that has shipped (databases in the field recorded it by version and name).
 */
import type { Migration } from '../migrate';
import { schedule } from './001-schedule';
import { sync } from './002-sync';
import { coordinators } from './003-coordinators';
import { syncDigestsAndCleaning } from './004-sync-digests-and-cleaning';
import { memberRoles } from './005-member-roles';
import { members } from './006-members';
import { visitWithdrawals } from './007-visit-withdrawals';
import { offPlan } from './008-off-plan';
import { throttles } from './009-throttles';

export const migrations: readonly Migration[] = [
	schedule,
	sync,
	coordinators,
	syncDigestsAndCleaning,
	memberRoles,
	members,
	visitWithdrawals,
	offPlan,
	throttles
];

export const latestSchemaVersion = migrations.length;
