import { followRace } from "./feed.js";
import { pageLanguage, t } from "./i18n.js";

// What the two live boards of the public site share, a race's (leaderboard.js) and a classification's
// (classification.js): the head (title, status, progress), the connection badge and its "updated" clock, and
// ordinals for what screen readers hear. Both templates mark these parts with the same data-ref names.

// The same words as the templates (results/_race_status_label.html), so one translation serves both.
const STATUS_LABELS = {
  START_LIST: t("Start list"),
  LIVE: t("Live"),
  UNOFFICIAL: t("Unofficial"),
  OFFICIAL: t("Official"),
  PROTESTED: t("Under review"),
};
const CONNECTION_LABELS = {
  connecting: t("Connecting…"),
  live: t("Live updates"),
  reconnecting: t("Reconnecting…"),
  closed: t("Updates stopped"),
  // No network at all: the board shows the last standings it had (kept by the service worker), "updated" their time.
  offline: t("Offline"),
};
// An ordinal by the page language's own rule (Intl.PluralRules): English's 1st, 2nd, 3rd, 4th; French's 1er, 2e.
// Each language's translations say how its categories read: the message ids are named after English's.
const ORDINALS = {
  // Translators: an ordinal for English's "one" category (1st, 21st); French's 1er; in most languages as %(n)sth.
  one: (n) => t("%(n)sst", { n }),
  // Translators: an ordinal for English's "two" category (2nd, 22nd); in most languages as %(n)sth.
  two: (n) => t("%(n)snd", { n }),
  // Translators: an ordinal for English's "few" category (3rd, 23rd); in most languages as %(n)sth.
  few: (n) => t("%(n)srd", { n }),
  // Translators: an ordinal, the usual form: 4th, 11th (Dutch 4e, Japanese 4位; German says "Platz 4": a "4." would
  // end a sentence twice).
  other: (n) => t("%(n)sth", { n }),
};

const ref = (board, name) => board.querySelector(`[data-ref="${name}"]`);

export function statusLabel(status) {
  return STATUS_LABELS[status] ?? status;
}

// The head: title (and the tab's), status badge, progress as text and as a bar of `done` out of `of`.
export function headShow(board, { title, competition, status, progressText, done, of }) {
  ref(board, "title").textContent = title;
  document.title = `${title} · ${competition} · Skating Live`;
  const badge = ref(board, "status");
  badge.className = `status status--${status}`;
  badge.textContent = statusLabel(status);
  ref(board, "progress-text").textContent = progressText;
  const bar = ref(board, "progress");
  bar.max = Math.max(of, 1);
  bar.value = done;
}

export function updatedShow(board, updatedAt) {
  const moment = new Date(updatedAt);
  if (Number.isNaN(moment.getTime())) return;
  const clock = moment.toLocaleTimeString(pageLanguage(), { hour: "2-digit", minute: "2-digit", second: "2-digit" });
  ref(board, "updated").textContent = `· ${t("updated %(clock)s", { clock })}`;
}

export function ordinal(n) {
  const category = new Intl.PluralRules(pageLanguage(), { type: "ordinal" }).select(n);
  return (ORDINALS[category] ?? ORDINALS.other)(n);
}

// Shows the connection badge and follows the board's socket (data-socket-path, data-heartbeat-seconds) from
// `version`: onSnapshot draws each newer document of `type`. A board the server no longer knows says so:
// notFound.label on the badge, notFound.alert above the last standings received.
export function boardFollow(board, { version, type, onSnapshot, notFound }) {
  const connectionSet = (state, label = CONNECTION_LABELS[state]) => {
    board.dataset.connection = state;
    ref(board, "connection-label").textContent = label;
  };
  const stateShow = (state, detail) => {
    if (detail === "not-found") {
      connectionSet("closed", notFound.label);
      const alert = ref(board, "alert");
      alert.textContent = notFound.alert;
      alert.hidden = false;
      return;
    }
    connectionSet(state, state === "reconnecting" && navigator.onLine === false ? CONNECTION_LABELS.offline : undefined);
  };
  ref(board, "connection").hidden = false;
  // The page's own snapshot, where it carries one (the race board): patches apply to it from the first change.
  const shown = JSON.parse(document.getElementById("board-snapshot")?.textContent ?? "null");
  followRace({
    path: board.dataset.socketPath,
    version,
    snapshot: shown?.version === Number(version) ? shown : null,
    heartbeatSeconds: Number(board.dataset.heartbeatSeconds) || 15,
    type,
    onSnapshot: (document_) => {
      onSnapshot(document_);
      // For what listens to the board besides it: the followed skaters' notices (notices.js).
      document.dispatchEvent(new CustomEvent("skating:snapshot", { detail: document_ }));
    },
    onState: stateShow,
  });
}
