/**
 * The app's one door to translations: messages, the current locale and localized links. French is the base
 * locale and lives at the root (`/equipage`); English is prefixed (`/en/equipage`), so every page has a
 * stable, shareable URL in each language and the switch is a plain link that works without JavaScript.
 */
import { deLocalizeHref, getLocale, localizeHref, type Locale } from '$lib/paraglide/runtime';

export { m } from '$lib/paraglide/messages';
export { getLocale, localizeHref, type Locale };

/** The other language of the two, for the switch link. */
export function otherLocale(locale: Locale = getLocale()): Locale {
	return locale === 'fr' ? 'en' : 'fr';
}

/** The same page in the other language. */
export function switchLocaleHref(pathname: string, search = ''): string {
	return localizeHref(deLocalizeHref(pathname) + search, { locale: otherLocale() });
}
