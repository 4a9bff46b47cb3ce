/**
 * The app's one door to translations: messages, the current locale and localized links. French is the base
 * locale and lives at the root (`/equipage`); English is prefixed (`/en/equipage`), so every page has a
 * stable, shareable URL in each language and the switch is a plain link that works without JavaScript.
 */
import { m } from '$lib/paraglide/messages';
import { deLocalizeHref, getLocale, localizeHref, type Locale } from '$lib/paraglide/runtime';

export { getLocale, localizeHref, m, type Locale };

/** The other language of the two, for the switch link. */
export function otherLocale(locale: Locale = getLocale()): Locale {
	return locale === 'fr' ? 'en' : 'fr';
}

/** The same page in the other language. */
export function switchLocaleHref(pathname: string, search = ''): string {
	return localizeHref(deLocalizeHref(pathname) + search, { locale: otherLocale() });
}

/**
 * What every area's header shows: the brand, the area's name, the area's own links (`path` unlocalized, the
 * current one marked) and the link to the same page in the other language.
 */
export function areaHeader(
	areaLabel: string,
	homePath: string,
	url: URL,
	sections: readonly { path: string; label: string }[] = []
) {
	const here = deLocalizeHref(url.pathname).replace(/\/$/, '') || '/';
	return {
		appName: m.app_name(),
		areaLabel,
		homeHref: localizeHref(homePath),
		navLabel: m.nav_main(),
		links: sections.map(({ path, label }) => ({
			href: localizeHref(path),
			label,
			current: here === path
		})),
		languageHref: switchLocaleHref(url.pathname, url.search),
		languageLabel: m.language_switch(),
		languageTitle: m.language_switch_label(),
		languageCode: otherLocale()
	};
}
