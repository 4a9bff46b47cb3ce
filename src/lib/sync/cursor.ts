/**
 * The pull cursor: opaque to the tablet, it encodes the last change-log sequence number it has applied.
 * `null` means "from the beginning". The prefix carries a version so a later format can be told apart.
 */
const PREFIX = 'c1.';
const BODY = /^c1\.[0-9a-z]{1,11}$/;

export function encodeCursor(seq: number): string {
	if (!Number.isSafeInteger(seq) || seq < 0) throw new RangeError('A cursor encodes a sequence number >= 0.');
	return PREFIX + seq.toString(36);
}

/** The sequence number of a cursor; 0 for null; null if the cursor is not one this protocol makes. */
export function decodeCursor(cursor: string | null): number | null {
	if (cursor === null) return 0;
	if (!BODY.test(cursor)) return null;
	const seq = Number.parseInt(cursor.slice(PREFIX.length), 36);
	return Number.isSafeInteger(seq) ? seq : null;
}
