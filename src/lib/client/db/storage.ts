/**
 * Is this device's storage safe to work on? Non-persistent origins can be evicted under storage pressure, and
 * Safari erases them after 7 days without use unless the app is on the home screen; private windows lose everything
 * or cannot open IndexedDB at all (docs/offline-data-loss.md, items 1, 2, 4). We ask for persistence once the
 * database opens, and report what the browser granted and how much room is left.
 */

export type StorageStatus = 'checking' | 'persisted' | 'notPersisted' | 'unavailable';

export interface StorageReport {
	status: Exclude<StorageStatus, 'checking'>;
	/** Bytes used by this origin, when the browser tells. */
	usage: number | null;
	/** Bytes this origin may use, when the browser tells. */
	quota: number | null;
}

/** The parts of `navigator.storage` we use; each may be missing in older browsers. */
export interface StorageManagerLike {
	persisted?: () => Promise<boolean>;
	persist?: () => Promise<boolean>;
	estimate?: () => Promise<StorageEstimate>;
}

export interface StorageProbe {
	storage: StorageManagerLike | undefined;
	/** Opens the app's database; rejects when IndexedDB cannot be used (private browsing). */
	openDatabase: () => Promise<unknown>;
}

/** Checks the database opens, asks for persistence unless already granted, and measures usage. */
export async function checkStorage(probe: StorageProbe): Promise<StorageReport> {
	try {
		await probe.openDatabase();
	} catch {
		return { status: 'unavailable', ...(await estimateUsage(probe.storage)) };
	}
	const persisted = await ensurePersisted(probe.storage);
	return { status: persisted ? 'persisted' : 'notPersisted', ...(await estimateUsage(probe.storage)) };
}

/** `persisted()` first: `persist()` may show a prompt (Firefox), which we do not want when already granted. */
async function ensurePersisted(storage: StorageManagerLike | undefined): Promise<boolean> {
	try {
		if (await storage?.persisted?.()) return true;
		return (await storage?.persist?.()) ?? false;
	} catch {
		return false;
	}
}

async function estimateUsage(
	storage: StorageManagerLike | undefined
): Promise<Omit<StorageReport, 'status'>> {
	try {
		const estimate = await storage?.estimate?.();
		return { usage: estimate?.usage ?? null, quota: estimate?.quota ?? null };
	} catch {
		return { usage: null, quota: null };
	}
}
