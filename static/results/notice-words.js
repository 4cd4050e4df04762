import { t } from "./i18n.js";

// The words of the followed skaters' notices, for the scripts' catalog (djangojs): the open board says them
// (notices.js), and so may any script that tells about a subscription; the pushes to phones say the same message
// ids from the server's catalog (results/live/push_texts.py; results/web/notice_words.py is this list's twin in
// the django domain). Listed here so makemessages keeps every one of them in this catalog even while no script
// says it yet; no page loads this module.
export const noticeWords = () => [
  t("%(name)s skates soon"),
  t("Pair %(heat)s"),
  t("%(name)s: corrected"),
  t("%(name)s: final"),
  t("Rank %(rank)s"),
  t("provisional rank %(rank)s"),
  t("gold"),
  t("silver"),
  t("bronze"),
  t("Notifications for %(name)s are on"),
];
