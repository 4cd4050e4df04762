import { correctedBibs } from "../results/standings-view.js";
import { el, follow, lastPairRows, pairLabel, playEntrance, ref } from "./live.js";
import { plateCells } from "./plate-cells.js";

// Lower third of the pair saved last (templates/embed/overlay_last_heat.html). It wipes in again whenever a new
// pair comes in; a correction to the pair on air updates it in place.

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
  dom.pair.textContent = snapshot.last_heat ? pairLabel(snapshot.last_heat) : "";
  dom.rows.replaceChildren(...rows.map((row) => rowRender(row, corrected.has(row.bib))));
  dom.panel.hidden = rows.length === 0;
  if (rows.length && snapshot.last_heat !== previous.lastHeat) playEntrance(dom.panel);
}

if (!dom.panel.hidden) playEntrance(dom.panel);
follow(render);
