/** How a closed list's words are looked up: one Paraglide message per value, in the reader's locale by default. */
import { getLocale, type Locale } from '$lib/paraglide/runtime';

type Message = (inputs?: Record<string, never>, options?: { locale?: Locale }) => string;
export type Words<T extends string> = Record<T, Message>;

export const say =
	<T extends string>(words: Words<T>) =>
	(value: T, locale: Locale = getLocale()): string =>
		words[value]({}, { locale });
