import { t } from "./i18n.js";
import { el, laneMarker } from "./standings-view.js";
import { headToHeadRow, projectionCell, projectionRow } from "./intelligence-view.js";

// Passages on the public board (leaderboard.js): "On the ice" (each skater's latest passage, their rank there, the
// gap to the leader and the projected finish; the pair head to head) and a finisher's splits and laps under their row. The same markup as the templates
// results/_on_ice.html, _splits_toggle.html and _splits_row.html: keep them in step.

// "+0.12" (slower, red) or "-0.05" (faster, green), as television shows a skater against the leader.
export function gapNode(behind, className = "gap") {
  if (!behind) return null;
  return el("span", `${className} ${className}--${behind.startsWith("-") ? "ahead" : "behind"}`, behind);
}

const ON_ICE_COLUMNS = 6;

function onIceSkater(skater, laneTitles, laneSpoken) {
  const tr = el("tr", "on-ice-skater");
  tr.dataset.bib = String(skater.bib);
  tr.dataset.skater = String(skater.skater);
  const who = el("td", "oi-skater");
  const lane = laneMarker(skater.lane, laneTitles, laneSpoken);
  if (lane) who.append(lane, " ");
  who.append(el("span", "nation", skater.nation), " ", el("span", "name", skater.name));
  tr.append(who);
  const { passage } = skater;
  if (!passage) {
    const none = el("td", "oi-at oi-none", t("Started"));
    none.colSpan = ON_ICE_COLUMNS - 1;
    tr.append(none);
    return tr;
  }
  const gap = el("td", "oi-gap");
  const chip = gapNode(passage.behind);
  if (chip) gap.append(chip);
  tr.append(
    el("td", "oi-at", `${passage.distance} m`),
    el("td", "oi-time", passage.time),
    el("td", "oi-rank", passage.rank),
    gap,
    projectionCell(passage),
  );
  return tr;
}

// Redraws the section's pairs; hides it while nobody is on the ice. onIce: the snapshot's on_ice (absent in
// snapshots published before passages existed); distance: the race's, to name the finish in the head to head.
export function onIceRender(section, onIce = [], { laneTitles, laneSpoken, distance }) {
  const table = section.querySelector("table");
  for (const body of table.querySelectorAll("tbody")) body.remove();
  for (const heat of onIce) {
    const body = el("tbody", "on-ice-heat");
    body.dataset.heat = String(heat.heat);
    const title = el("tr", "on-ice-heat__title");
    const th = el("th", "", t("Pair %(heat)s", { heat: heat.heat }));
    th.colSpan = ON_ICE_COLUMNS;
    th.scope = "colgroup";
    title.append(th);
    body.append(
      title,
      ...heat.skaters.flatMap((skater) => [
        onIceSkater(skater, laneTitles, laneSpoken),
        projectionRow(skater.passage, ON_ICE_COLUMNS),
      ]),
      headToHeadRow(heat.head_to_head, distance, ON_ICE_COLUMNS),
    );
    table.append(body);
  }
  section.hidden = onIce.length === 0;
}

export function splitsToggle(row, expanded) {
  const button = el("button", "splits-toggle");
  button.type = "button";
  button.title = t("Splits and laps");
  button.setAttribute("aria-expanded", String(expanded));
  button.setAttribute("aria-controls", `splits-${row.bib}`);
  button.append(el("span", "visually-hidden", t("Splits and laps of %(name)s", { name: row.name })));
  return button;
}

export function splitsRow(row, expanded, columns) {
  const tr = el("tr", `splits-row${expanded ? " is-open" : ""}`);
  tr.id = `splits-${row.bib}`;
  tr.dataset.splitsFor = String(row.bib);
  const cell = el("td");
  cell.colSpan = columns;
  const list = el("ol", "splits");
  list.setAttribute("aria-label", t("Splits of %(name)s", { name: row.name }));
  for (const split of row.splits) {
    const item = el("li", "split");
    item.append(el("span", "split__at", `${split.distance} m`), " ", el("span", "split__time", split.time));
    if (split.lap) {
      const lap = el("span", "split__lap");
      lap.append(el("span", "split__lap-label", t("lap")), ` ${split.lap}`);
      item.append(" ", lap);
    }
    list.append(item);
  }
  cell.append(list);
  tr.append(cell);
  return tr;
}

// Opens or closes a row's splits (the button, or a click anywhere on the row). Returns the new state.
export function splitsToggleRow(tr) {
  const button = tr.querySelector(".splits-toggle");
  const details = button && document.getElementById(button.getAttribute("aria-controls"));
  if (!details) return null;
  const open = button.getAttribute("aria-expanded") !== "true";
  button.setAttribute("aria-expanded", String(open));
  details.classList.toggle("is-open", open);
  return open;
}
