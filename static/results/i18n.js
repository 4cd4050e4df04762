// The public pages' words in the page's language: Django's JavaScript catalog (/jsi18n/, loaded before the modules)
// defines gettext; without it (a test page, a broadcaster's page, a catalog that failed to load) the English text
// stands. The message ids are the templates' own where the same words are shown, so one translation serves both
// (locale/<language>/LC_MESSAGES/djangojs.po; docs/spectators.md, "Languages").
// t("Pair %(heat)s", { heat: 3 }) -> "Rit 3" on a Dutch page.

function filled(translated, values) {
  if (!values) return translated;
  return translated.replace(/%\((\w+)\)s/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

export function t(text, values = null) {
  const translated = typeof globalThis.gettext === "function" ? globalThis.gettext(text) : text;
  return filled(translated, values);
}

// A count's words: tn("%(total)s pair", "%(total)s pairs", 4, { total: 4 }) -> "4 ritten".
export function tn(singular, plural, count, values = null) {
  const translated =
    typeof globalThis.ngettext === "function"
      ? globalThis.ngettext(singular, plural, count)
      : count === 1
        ? singular
        : plural;
  return filled(translated, values);
}

// The page's language, for dates and times: <html lang="nl">.
export function pageLanguage() {
  return document.documentElement.lang || "en";
}
