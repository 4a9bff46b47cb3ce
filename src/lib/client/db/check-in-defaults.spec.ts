import { describe, expect, it } from 'vitest';
import {
	DEFAULT_CHECK_IN,
	readCheckInDefaults,
	rememberCheckInChoices,
	type CheckInChoices
} from './check-in-defaults';
import { InvalidRecordError, StorageFullError } from './errors';
import { failNextWrite, openTestDb } from './testing';

const CAF_FAMILY: CheckInChoices = { channel: 'walkIn', partner: 'CAF', theme: 'family' };

describe('check-in defaults', () => {
	it('starts from the defaults on a new tablet', async () => {
		expect(await readCheckInDefaults(openTestDb())).toEqual(DEFAULT_CHECK_IN);
	});

	it('remembers the last choices, the latest over the earlier ones', async () => {
		const db = openTestDb();
		await rememberCheckInChoices(db, CAF_FAMILY);
		await rememberCheckInChoices(db, { channel: 'appointment', partner: 'CPAM', theme: 'socialHealth' });
		const last = await rememberCheckInChoices(db, {
			channel: 'phone',
			partner: 'CAF',
			theme: 'housing',
			outcome: 'referred',
			onlineProcedure: true,
			ageBand: 'from70'
		});

		const expected = {
			channel: 'phone',
			partner: 'CAF',
			theme: 'housing',
			outcome: 'referred',
			onlineProcedure: true,
			ageBand: 'from70'
		};
		expect(last).toEqual(expected);
		expect(await readCheckInDefaults(db)).toEqual(expected);
	});

	it('refuses choices outside their lists, naming the field, and keeps the previous ones', async () => {
		const db = openTestDb();
		await rememberCheckInChoices(db, CAF_FAMILY);
		const bad = [
			{ ...CAF_FAMILY, partner: 'NOPE' },
			{ ...CAF_FAMILY, theme: 'Famille' },
			{ ...CAF_FAMILY, channel: 'email' },
			{ ...CAF_FAMILY, note: 'Mme Martin' }
		] as CheckInChoices[];
		const paths: string[] = [];
		for (const choices of bad) {
			const error = await rememberCheckInChoices(db, choices).catch((e: unknown) => e);
			expect(error).toBeInstanceOf(InvalidRecordError);
			expect((error as InvalidRecordError).message).not.toContain('Martin');
			paths.push(...(error as InvalidRecordError).issues.map((issue) => issue.path));
		}
		// An unknown key is reported on the object holding it, never by its name (it could be a name).
		expect(paths).toEqual(['partner', 'theme', 'channel', '']);
		expect(await readCheckInDefaults(db)).toMatchObject({ partner: 'CAF', theme: 'family' });
	});

	it('reads junk written by an older version as defaults, value by value, without throwing', async () => {
		const db = openTestDb();
		await db.meta.put({
			key: 'checkIn.defaults',
			value: {
				channel: 'fax',
				partner: 'POLE_EMPLOI',
				theme: 'housing',
				outcome: 42,
				onlineProcedure: 'yes',
				ageBand: 'from60to69',
				recentPartners: ['CAF', 'POLE_EMPLOI', 'CAF', 7, 'MSA'],
				recentThemes: 'housing'
			}
		});
		// The recent lists of an older version are left unread: the tiles' order no longer depends on them.
		expect(await readCheckInDefaults(db)).toEqual({ ...DEFAULT_CHECK_IN, theme: 'housing' });

		for (const value of [null, 'walkIn', [1, 2]]) {
			await db.meta.put({ key: 'checkIn.defaults', value });
			expect(await readCheckInDefaults(db)).toEqual(DEFAULT_CHECK_IN);
		}
		// Remembering over junk writes a clean value.
		await rememberCheckInChoices(db, CAF_FAMILY);
		expect(await readCheckInDefaults(db)).toEqual({ ...DEFAULT_CHECK_IN, partner: 'CAF', theme: 'family' });
	});

	it('keeps the previous choices when the disk is full', async () => {
		const db = openTestDb();
		await rememberCheckInChoices(db, CAF_FAMILY);
		failNextWrite('meta', 'QuotaExceededError');
		await expect(rememberCheckInChoices(db, { ...CAF_FAMILY, partner: 'MSA' })).rejects.toBeInstanceOf(
			StorageFullError
		);
		expect((await readCheckInDefaults(db)).partner).toBe('CAF');
	});
});
