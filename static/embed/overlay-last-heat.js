import { correctedBibs } from "../results/standings-view.js";
import { el, follow, lastLabel, lastPairRows, newArrival, playEntrance, ref } from "./live.js";
import { plateCells } from "./plate-cells.js";

// Lower third of the pair saved last (templates/embed/overlay_last_heat.html); for a mass start, of its latest
// sprint. It wipes in again whenever a new pair (sprint) comes in; a correction to the one on air updates it in
// place.

const dom = { panel: ref("panel"), pair: ref("pair"), rows: ref("rows") };

function rowRender(row, corrected) {
  const item = el("li", `lt-row lane-${row.lane ?? "none"}${corrected ? " is-corrected" : ""}`);
  item.dataset.bib = String(row.bib);
  item.append(...plateCells(row, { byLane: true, corrected }));
  return item;
}

function render(snapshot, previous) {
  const rows = lastPairRows(snapshot);
  const corrected = correctedBibs(snapshot.change);
  dom.pair.textContent = lastLabel(snapshot);
  dom.rows.replaceChildren(...rows.map((row) => rowRender(row, corrected.has(row.bib))));
  dom.panel.hidden = rows.length === 0;
  if (rows.length && newArrival(snapshot, previous)) playEntrance(dom.panel);
}

if (!dom.panel.hidden) playEntrance(dom.panel);
follow(render);
