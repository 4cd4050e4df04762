import { el, follow, labels, playEntrance, ref, rowsShown } from "./live.js";
import { plateCells } from "./plate-cells.js";

// "Top 3 so far", medals once official (templates/embed/overlay_top3.html). It wipes in again when the top 3
// changes.

const dom = { panel: ref("panel"), kicker: ref("kicker"), rows: ref("rows") };

function rowRender(row) {
  const item = el("li", `t3-row${row.medal ? ` medal-${row.medal}` : ""}`);
  item.dataset.bib = String(row.bib);
  item.append(...plateCells(row));
  return item;
}

function lineUp() {
  return Array.from(dom.rows.children, (item) => item.dataset.bib).join(",");
}

function render(snapshot) {
  const before = lineUp();
  const rows = rowsShown(snapshot.standings, 3);
  dom.kicker.textContent = snapshot.race.status === "OFFICIAL" ? labels.podium : labels.top3;
  dom.rows.replaceChildren(...rows.map(rowRender));
  dom.panel.hidden = rows.length === 0;
  if (rows.length && lineUp() !== before) playEntrance(dom.panel);
}

if (!dom.panel.hidden) playEntrance(dom.panel);
follow(render);
