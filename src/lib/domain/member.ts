/**
 * Who a member (a signed-in person, as opposed to a tablet) is in the network: their roles. The words are the
 * network's own, used everywhere (docs/security.md):
 * - `coordinateur`: plans and follows its organisation's buses (enrollment codes, tablets, referrals);
 * - `national`: reads every bus, edits none;
 * - `admin`: manages accounts;
 * - `partenaire`: an adviser of one partner for some départements.
 */
export const ROLES = ['coordinateur', 'national', 'admin', 'partenaire'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
	return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
