import { followRace } from "../results/feed.js";
import { isMassStart, latestSprintRows, sprintName } from "../results/formats-view.js";
import { el, laneMarker, recordBadge, timeNodes } from "../results/standings-view.js";

// What every broadcasters' page (embed, overlays, scoreboard) shares: its root element and data-* attributes,
// the labels of its language (the "labels" JSON the server renders from results/web/embed/labels.py), the pieces of a
// row, and following the race through feed.js. Each page's own module renders what it shows.

export const root = document.getElementById("board");
export const labels = JSON.parse(document.getElementById("labels").textContent);
export const ref = (name) => root.querySelector(`[data-ref="${name}"]`);
export { el };

const LANE_TITLES = { I: labels.inner, O: labels.outer };

export function format(template, values) {
  return template.replace(/\{(\w+)\}/g, (whole, key) => (key in values ? String(values[key]) : whole));
}

// Mirrors results.web.embed.formats.progress_text (results.web.embed.labels.progress_text for pairs).
export function progressText(race) {
  if (isMassStart(race)) {
    if (race.heats_done) return labels.finished;
    if (race.sprints_done) {
      return format(labels.sprint_progress, { done: race.sprints_done, total: race.sprint_points.length });
    }
    return "";
  }
  if (race.heats_done) return format(labels.progress, { done: race.heats_done, total: race.heats });
  if (race.heats) return format(labels.pairs, { total: race.heats });
  return "";
}

export function pairLabel(heat) {
  return format(labels.pair, { heat });
}

export function statusShow(node, status) {
  if (!node) return;
  node.className = `pill pill--${status}`;
  node.textContent = labels[status] ?? status;
}

export function lane(value) {
  return laneMarker(value, LANE_TITLES) ?? "";
}

export function records(row) {
  return row.records.map((kind) => recordBadge(kind));
}

export function time(row) {
  return timeNodes(row);
}

export function rank(row) {
  return row.medal ? el("span", `medal medal--${row.medal}`, row.rank) : String(row.rank ?? "");
}

export function span(className, ...children) {
  const node = el("span", className);
  node.append(...children);
  return node;
}

// A standings row's classes (templates/embed/_row_class.html): the pair saved last, a corrected result, out of
// the ranking, a medal.
export function rowClass(row, snapshot, corrected) {
  const classes = ["row"];
  if (row.heat !== null && row.heat === snapshot.last_heat && !isMassStart(snapshot.race)) classes.push("is-new"); // one heat: all of it
  if (corrected) classes.push("is-corrected");
  if (row.rank === null) classes.push("is-out");
  if (row.medal) classes.push(`medal-${row.medal}`);
  return classes.join(" ");
}

// The skaters of a pair on one line (templates/embed/_next_skaters.html).
export function nextSkaters(heat) {
  return heat.skaters.flatMap((skater, index) => [
    ...(index ? [" "] : []),
    span("next-skater", lane(skater.lane), " ", span("name", skater.name), " ", span("nation", skater.nation)),
  ]);
}

// Mirrors results.web.embed.views.rows_shown: every row, or the finishers ranked 1..count (a tie at the cut stays).
export function rowsShown(standings, count) {
  if (!count) return standings;
  return standings.filter((row) => row.rank !== null && row.rank <= count);
}

// Mirrors results.web.embed.views.last_pair_rows: the pair saved last, inner lane first; a mass start's latest sprint.
export function lastPairRows(snapshot) {
  if (isMassStart(snapshot.race)) return latestSprintRows(snapshot);
  const order = { I: 0, O: 1 };
  return snapshot.standings
    .filter((row) => snapshot.last_heat !== null && row.heat === snapshot.last_heat)
    .sort((a, b) => (order[a.lane] ?? 2) - (order[b.lane] ?? 2));
}

export const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");

// What the "last pair" graphics call what they show (results.web.embed.formats.last_label): "Pair 8", "Sprint 2".
export function lastLabel(snapshot) {
  const { race } = snapshot;
  if (isMassStart(race)) return race.last_sprint ? sprintName(race.last_sprint, race.sprint_points.length, labels) : "";
  return snapshot.last_heat ? pairLabel(snapshot.last_heat) : "";
}

// A new pair (or a mass start's new sprint) came in since the version shown: the "last pair" graphics play again.
export function newArrival(snapshot, previous) {
  if (isMassStart(snapshot.race)) {
    const fresh = snapshot.change?.sprint && snapshot.change.kind === "results";
    return Boolean(fresh && snapshot.race.last_sprint !== null);
  }
  return snapshot.last_heat !== null && snapshot.last_heat !== previous.lastHeat;
}

// Replays the page's entrance (CSS .is-entering) on node: a new pair is on air.
export function playEntrance(node) {
  node.classList.remove("is-entering");
  if (reducedMotion.matches) return;
  void node.offsetWidth; // restart the animation
  node.classList.add("is-entering");
}

function stateShow(state, detail) {
  root.dataset.connection = state;
  const notice = ref("notice");
  if (!notice) return; // overlays say nothing on air: the attribute is for whoever checks the source
  if (detail === "not-found") notice.textContent = labels.not_found;
  else if (state === "reconnecting") notice.textContent = labels.reconnecting;
  notice.hidden = !(detail === "not-found" || state === "reconnecting");
}

// Follows the race; render(snapshot, previous) draws each newer version. previous: { version, lastHeat, status }.
export function follow(render) {
  let shown = {
    version: Number(root.dataset.version),
    lastHeat: root.dataset.lastHeat ? Number(root.dataset.lastHeat) : null,
    status: root.dataset.status,
  };
  followRace({
    path: root.dataset.socketPath,
    version: shown.version,
    heartbeatSeconds: Number(root.dataset.heartbeatSeconds) || 15,
    onSnapshot(snapshot) {
      const title = ref("title");
      if (title) title.textContent = snapshot.race.title;
      statusShow(ref("status"), snapshot.race.status);
      render(snapshot, shown);
      shown = { version: snapshot.version, lastHeat: snapshot.last_heat, status: snapshot.race.status };
      root.dataset.status = snapshot.race.status;
      root.dataset.lastHeat = snapshot.last_heat ?? "";
      // Last, so whoever waits on data-version finds the page already showing it.
      root.dataset.version = String(snapshot.version);
    },
    onState: stateShow,
  });
}
