import { followRace } from "./feed.js";

// What the two live boards of the public site share, a race's (leaderboard.js) and a classification's
// (classification.js): the head (title, status, progress), the connection badge and its "updated" clock, and
// ordinals for what screen readers hear. Both templates mark these parts with the same data-ref names.

const STATUS_LABELS = {
  START_LIST: "Start list",
  LIVE: "Live",
  UNOFFICIAL: "Unofficial",
  OFFICIAL: "Official",
  PROTESTED: "Under review",
};
const CONNECTION_LABELS = {
  connecting: "Connecting…",
  live: "Live updates",
  reconnecting: "Reconnecting…",
  closed: "Updates stopped",
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
  const clock = moment.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
  ref(board, "updated").textContent = `· updated ${clock}`;
}

export function ordinal(n) {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  return `${n}${{ 1: "st", 2: "nd", 3: "rd" }[n % 10] ?? "th"}`;
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
    connectionSet(state);
  };
  ref(board, "connection").hidden = false;
  followRace({
    path: board.dataset.socketPath,
    version,
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
