/**
 * One visit to the check-in screen: the form's defaults and recent choices, the communes of the bus's stops,
 * the service day, the visit being corrected (`?corriger=<id>`), and the save. The screen binds to `draft`
 * and `serviceDayId`; everything stored goes through client/db's check-in (one transaction, correction rule).
 */
import {
	correctVisit,
	findCorrectableVisit,
	listCurrentVisitsOfServiceDay,
	recordCheckIn
} from '$lib/client/db/check-in';
import {
	readCheckInDefaults,
	rememberCheckInChoices,
	type CheckInDefaults
} from '$lib/client/db/check-in-defaults';
import { getEscaleDb } from '$lib/client/db/connection';
import { listStops } from '$lib/client/db/schedule';
import type { EscaleDb } from '$lib/client/db/schema';
import { localDateIn } from '$lib/domain/calendar';
import type { Stop } from '$lib/domain/schedule';
import { serviceDayAt } from '$lib/domain/service-day-choice';
import type { Visit } from '$lib/domain/visit';
import { m } from '$lib/i18n';
import {
	buildCheckIn,
	draftAnswers,
	draftFromVisit,
	newCheckInDraft,
	newRequestDraft,
	partnerTiles,
	themeTiles,
	type CheckInDraft,
	type DraftDefaults,
	type RequestDraft
} from './check-in-form';
import { crewState } from './crew.svelte';
import { asksBeforeSaving, visitKey, type LastSave } from './double-save';
import { Save } from './save.svelte';

/** Until this tablet has a first check-in, no partner or theme is preselected: the crew picks them. */
const FALLBACK: DraftDefaults = { channel: 'walkIn', partner: '', theme: '', outcome: 'resolved' };

const clock = (): Date => new Date();

/** The communes of the bus's stops, once each, in alphabetical order (the form's residence list). */
function communesOf(stops: readonly Stop[]): { insee: string; commune: string }[] {
	const byInsee = new Map(stops.map((stop) => [stop.insee, stop.commune]));
	return [...byInsee]
		.map(([insee, commune]) => ({ insee, commune }))
		.sort((a, b) => a.commune.localeCompare(b.commune, 'fr'));
}

export class CheckInSession {
	#db: () => EscaleDb = getEscaleDb;
	#now: () => Date = clock;
	readonly save = new Save();
	defaults = $state<DraftDefaults>(FALLBACK);
	/** The tiles in a fixed order, the last choice marked where it stands. */
	readonly partnerTiles = $derived(partnerTiles(this.defaults.partner));
	readonly themeTiles = $derived(themeTiles(this.defaults.theme));
	draft = $state<CheckInDraft>(newCheckInDraft(FALLBACK, localDateIn(clock(), 'Europe/Paris')));
	/** The answers the form started from (a fresh form, or the visit being corrected). */
	#startAnswers = $state(draftAnswers(this.draft));
	/**
	 * A visitor half filled in: anything entered since the form started, or a save under way. An update of the
	 * app waits for it (app-update.svelte.ts), so a reload never throws it away.
	 */
	readonly inProgress = $derived(this.save.saving || draftAnswers(this.draft) !== this.#startAnswers);
	serviceDayId = $state('');
	communes = $state<{ insee: string; commune: string }[]>([]);
	/** The tablet's choices and communes are read: the form may be sent. */
	ready = $state(false);
	/** The visit being corrected, once the correction rule allows it. */
	correcting = $state<Visit | null>(null);
	correctionRefused = $state(false);
	/** A save of the visit just saved, a moment later: the screen asks before recording it (double-save.ts). */
	doubleSave = $state(false);
	#lastSave: LastSave | null = null;

	/** Today's service days a visitor can be checked in on. */
	readonly openDays = $derived(crewState.today.filter((day) => day.status !== 'cancelled'));
	readonly today = $derived(localDateIn(this.#now(), crewState.bus?.timeZone ?? 'Europe/Paris'));

	#preparing = false;

	constructor(options: { db?: () => EscaleDb; now?: () => Date } = {}) {
		if (options.db) this.#db = options.db;
		if (options.now) this.#now = options.now;
	}

	/**
	 * Once the tablet's data is read (call it from an effect; it runs once): defaults, communes, the day,
	 * and the visit to correct if any. `chosenDayId` is the day whose card the crew tapped (`?passage=`); without
	 * it, or when it is not one of today's open days, the day is the one running now in the bus's zone, else
	 * the next one (src/lib/domain/service-day-choice.ts).
	 */
	prepare(correctionId: string | null, chosenDayId: string | null = null): void {
		const bus = crewState.bus;
		if (!crewState.loaded || !bus || this.#preparing) return;
		this.#preparing = true;
		void this.#prepare(bus.id, correctionId, chosenDayId);
	}

	/** Whether the crew said which day (a card tapped, a day picked on the form): then the hour never overrules it. */
	#dayChosen = false;

	/** The day a new visit goes to: the one chosen on the Today page, else the one of this hour. */
	#dayFor(chosenDayId: string | null): string {
		const chosen = this.openDays.find((day) => day.id === chosenDayId);
		if (chosen) {
			this.#dayChosen = true;
			return chosen.id;
		}
		const timeZone = crewState.bus?.timeZone ?? 'Europe/Paris';
		return serviceDayAt(this.openDays, this.#now(), timeZone)?.id ?? '';
	}

	async #prepare(busId: string, correctionId: string | null, chosenDayId: string | null): Promise<void> {
		const db = this.#db();
		const [stored, stops] = await Promise.all([readCheckInDefaults(db), listStops(db, busId)]);
		this.#useDefaults(stored);
		this.communes = communesOf(stops);
		this.serviceDayId = this.#dayFor(chosenDayId);
		this.#startFrom(newCheckInDraft(this.defaults, this.today));
		if (correctionId) await this.#startCorrection(correctionId);
		this.ready = true;
	}

	async #startCorrection(id: string): Promise<void> {
		const visit = await findCorrectableVisit(this.#db(), id, this.#now());
		// The screen corrects on one of the days it shows: today's, of this tablet's bus.
		if (!visit || !crewState.today.some((day) => day.id === visit.serviceDayId)) {
			this.correctionRefused = true;
			return;
		}
		this.correcting = visit;
		this.serviceDayId = visit.serviceDayId;
		this.#startFrom(draftFromVisit(visit, this.today));
	}

	/** A new form: `draft` is what "nothing entered yet" means until the next one. */
	#startFrom(draft: CheckInDraft): void {
		this.draft = draft;
		this.#startAnswers = draftAnswers(draft);
	}

	/** The crew answered the double-save question with no: nothing is stored, the form stays as it is. */
	keepForm(): void {
		this.doubleSave = false;
	}

	/** The crew picked the day on the form: it stays for the next visitors, whatever the hour. */
	chooseDay(): void {
		this.#dayChosen = true;
	}

	addRequest(): void {
		this.draft.requests.push(newRequestDraft(this.defaults, this.today));
	}

	removeRequest(index: number): void {
		this.draft.requests.splice(index, 1);
	}

	/**
	 * Stores the visit (or its correction) and its referrals, then starts a new form from the choices just
	 * made. Answers whether it was stored; if not, `save.error` says why and the form keeps what was entered.
	 * A visit identical to the one saved less than two seconds before is not stored: `doubleSave` asks the
	 * crew, who answer with `submit({ twice: true })` or `keepForm()`.
	 */
	async submit(options: { twice?: boolean } = {}): Promise<boolean> {
		const bus = crewState.bus;
		const serviceDayId = this.serviceDayId;
		if (!bus || !serviceDayId || this.save.saving) return false;
		const missing = this.#missingChoice();
		if (missing) {
			this.save.refuse(missing);
			return false;
		}
		const key = visitKey(serviceDayId, this.draft);
		if (!this.correcting && !options.twice && asksBeforeSaving(this.#lastSave, key, this.#now())) {
			this.doubleSave = true;
			return false;
		}
		this.doubleSave = false;
		return this.save.run(async () => {
			const db = this.#db();
			const correcting = this.correcting;
			const now = this.#now();
			const built = buildCheckIn($state.snapshot(this.draft), {
				busId: bus.id,
				serviceDayId,
				now,
				newId: () => crypto.randomUUID(),
				...(correcting ? { correctionOf: correcting.id } : {})
			});
			if (correcting) {
				await correctVisit(db, correcting.id, built.visit, now);
				this.save.done = m.crew_checkin_corrected();
				this.correcting = null;
			} else {
				const { referrals } = await recordCheckIn(db, built, now);
				this.#lastSave = { key, at: now.getTime() };
				const count = (await listCurrentVisitsOfServiceDay(db, serviceDayId)).length;
				this.save.done =
					m.crew_checkin_saved({ count: String(count) }) +
					(referrals.length > 0
						? ' ' + m.crew_checkin_saved_referrals({ count: String(referrals.length) })
						: '');
			}
			await this.#rememberChoices(this.draft.requests[0]);
			this.#startFrom(newCheckInDraft(this.defaults, this.today));
			// A form left open from the morning into the afternoon: the next visitor is the afternoon's.
			if (!this.#dayChosen) this.serviceDayId = this.#dayFor(null);
			await crewState.afterWrite();
		});
	}

	#useDefaults(stored: CheckInDefaults): void {
		this.defaults = {
			channel: stored.channel,
			partner: stored.partner ?? '',
			theme: stored.theme ?? '',
			outcome: stored.outcome
		};
	}

	/** The first request's choices become the next form's defaults (and its marked tiles). */
	async #rememberChoices(request: RequestDraft | undefined): Promise<void> {
		if (!request) return;
		try {
			this.#useDefaults(
				await rememberCheckInChoices(this.#db(), {
					channel: this.draft.channel,
					partner: request.partner,
					theme: request.theme,
					outcome: request.outcome
				})
			);
		} catch {
			// Remembering choices is a convenience: the visit is stored either way.
		}
	}

	/** A request without its partner or theme: said in words before anything is tried. */
	#missingChoice(): string | null {
		const index = this.draft.requests.findIndex((request) => !request.partner || !request.theme);
		if (index === -1) return null;
		const request = this.draft.requests[index]!;
		const n = String(index + 1);
		return request.partner ? m.crew_checkin_pick_theme({ n }) : m.crew_checkin_pick_partner({ n });
	}
}
