import { pageLanguage, t } from "./i18n.js";
import { el } from "./standings-view.js";

// When a pair is expected to start (the feed's eta, UTC), in the spectator's own time: "≈ 14:05", and "due" once that
// time has passed (the race runs late: the estimate moves when the next pair starts). The template
// results/_eta.html writes the same element in the event's time; etasRefresh rewrites it here.

const CLOCK = { hour: "2-digit", minute: "2-digit" };
const REFRESH_MS = 30_000;

function etaText(moment, now) {
  return moment <= now ? t("due") : `≈ ${moment.toLocaleTimeString(pageLanguage(), CLOCK)}`;
}

export function etaNode(iso) {
  const node = el("time", "eta");
  node.dateTime = iso;
  node.title = t("Expected start");
  etaShow(node, Date.now());
  return node;
}

function etaShow(node, now) {
  const moment = new Date(node.dateTime);
  if (Number.isNaN(moment.getTime())) return;
  node.textContent = etaText(moment, now);
  node.classList.toggle("is-due", moment <= now);
}

export function etasRefresh(root = document) {
  const now = Date.now();
  for (const node of root.querySelectorAll("time.eta")) etaShow(node, now);
}

etasRefresh();
setInterval(etasRefresh, REFRESH_MS);
