/**
 * The key under which a client's address is counted (the sign-in brake, the enrollment limits). An IPv4 address is its own key; an IPv6
 * address counts by its /64 network, since one subscriber (or one cloud machine) usually gets a whole /64 and
 * could otherwise draw a fresh address for every guess. An IPv4 address written as IPv6 (`::ffff:192.0.2.1`,
 * as a dual-stack socket reports it) is the IPv4 one. Anything else shares a single key, so a malformed address
 * header cannot mint new keys.
 *
 * Behind a reverse proxy, adapter-node must be told which header carries the client's address (ADDRESS_HEADER,
 * XFF_DEPTH), else every client is the proxy and shares one key.
 */
import { isIPv4, isIPv6 } from 'node:net';

export const UNKNOWN_ADDRESS = 'unknown';

/** `getClientAddress()` of the request, or UNKNOWN_ADDRESS if it throws (ADDRESS_HEADER set but absent). */
export function readClientAddress(getClientAddress: () => string): string {
	try {
		return getClientAddress();
	} catch {
		return UNKNOWN_ADDRESS;
	}
}

export function addressKey(address: string | undefined): string {
	const bare = (address ?? '').trim().replace(/%.*$/, '');
	if (isIPv4(bare)) return bare;
	if (!isIPv6(bare)) return UNKNOWN_ADDRESS;
	const groups = expandIPv6(bare);
	if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
		const [hi = 0, lo = 0] = groups.slice(6);
		return [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff].join('.');
	}
	return `${groups
		.slice(0, 4)
		.map((g) => g.toString(16))
		.join(':')}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address (`::` expanded, a trailing dotted IPv4 turned into two groups). */
function expandIPv6(address: string): number[] {
	const toGroups = (part: string): number[] => {
		if (part === '') return [];
		return part.split(':').flatMap((piece) => {
			if (!piece.includes('.')) return [parseInt(piece, 16)];
			const [a = 0, b = 0, c = 0, d = 0] = piece.split('.').map(Number);
			return [(a << 8) | b, (c << 8) | d];
		});
	};
	const [head = '', tail] = address.split('::');
	const left = toGroups(head);
	if (tail === undefined) return left;
	const right = toGroups(tail);
	return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}
