import { isMassStart } from "../results/formats-view.js";
import { correctedBibs } from "../results/standings-view.js";
import {
  el,
  follow,
  labels,
  lastLabel,
  lastPairRows,
  newArrival,
  nextSkaters,
  pairLabel,
  playEntrance,
  progressText,
  ref,
  root,
  rowClass,
  rowsShown,
} from "./live.js";
import { plateCells } from "./plate-cells.js";

// The venue scoreboard (templates/embed/scoreboard.html): the standings; after each new pair, that pair's result
// for "hold" seconds, then the standings again. Status and "pair N of M" stay in the header throughout.

const dom = {
  progress: ref("progress"),
  standings: ref("standings"),
  rows: ref("rows"),
  last: ref("last"),
  lastPair: ref("last-pair"),
  lastRows: ref("last-rows"),
  foot: ref("foot"),
  onIcePair: ref("on-ice-pair"),
  onIceSkaters: ref("on-ice-skaters"),
};
const rowCount = Number(root.dataset.rows) || 8;
const holdMs = (Number(root.dataset.hold) || 10) * 1000;
let backToStandings = null;

function standingsRender(snapshot) {
  const rows = rowsShown(snapshot.standings, rowCount);
  // As many slots as rows asked for, or more when a tie at the cut brings in more (results/web/embed/views.py, _scoreboard).
  dom.rows.style.setProperty("--rows", String(Math.max(rowCount, rows.length)));
  const corrected = correctedBibs(snapshot.change);
  const items = rows.map((row) => {
    const item = el("li", `sb-row ${rowClass(row, snapshot, corrected.has(row.bib))}`);
    item.dataset.bib = String(row.bib);
    item.append(...plateCells(row));
    return item;
  });
  dom.rows.replaceChildren(...(items.length ? items : [el("li", "sb-empty", labels.no_results)]));
}

function lastPairRender(snapshot) {
  const rows = lastPairRows(snapshot);
  dom.lastPair.textContent = lastLabel(snapshot);
  dom.lastRows.style.setProperty("--rows", String(Math.max(2, rows.length))); // a pair, or a quartet's four
  dom.lastRows.replaceChildren(
    ...rows.map((row) => {
      const item = el("li", `sb-row${row.rank === null ? " is-out" : ""}`);
      item.dataset.bib = String(row.bib);
      item.append(...plateCells(row, { byLane: true }));
      return item;
    }),
  );
}

function onIceRender(snapshot) {
  // A mass start's whole field is on the ice: no pair to name (results.web.embed.formats).
  const [now] = isMassStart(snapshot.race) ? [] : snapshot.next_heats;
  dom.foot.hidden = !now;
  if (!now) return;
  dom.onIcePair.textContent = pairLabel(now.heat);
  dom.onIceSkaters.replaceChildren(...nextSkaters(now));
}

function viewShow(view) {
  if (root.dataset.view === view) return;
  root.dataset.view = view;
  dom.standings.hidden = view !== "standings";
  dom.last.hidden = view !== "last-pair";
  playEntrance(view === "standings" ? dom.standings : dom.last);
}

function render(snapshot, previous) {
  dom.progress.textContent = progressText(snapshot.race);
  standingsRender(snapshot);
  lastPairRender(snapshot);
  onIceRender(snapshot);
  const newPair = newArrival(snapshot, previous);
  if (newPair && dom.lastRows.children.length) {
    viewShow("last-pair");
    window.clearTimeout(backToStandings);
    backToStandings = window.setTimeout(() => viewShow("standings"), holdMs);
  }
}

follow(render);
