// The public pages' words in the page's language: Django's JavaScript catalog (/jsi18n/, loaded before the modules)
// defines gettext; without it (a test page, a catalog that failed to load) the English text stands.
// t("Pair %(heat)s", { heat: 3 }) -> "Paar 3" on a Dutch page.

export function t(text, values = null) {
  const translated = typeof globalThis.gettext === "function" ? globalThis.gettext(text) : text;
  if (!values) return translated;
  return translated.replace(/%\((\w+)\)s/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

// The page's language, for dates and times: <html lang="nl">.
export function pageLanguage() {
  return document.documentElement.lang || "en";
}
