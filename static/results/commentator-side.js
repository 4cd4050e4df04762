import { box } from "./commentator-skaters.js";
import { el, recordBadge, timeNodes } from "./standings-view.js";

// The commentator's side column: the top of the standings, what it takes to lead, reach the podium or score, and
// the records that could fall (the race's standing records, then each national record a skater to come could
// take). Drawn from the snapshot and the commentary; `what_it_takes` may be missing from a snapshot.

export const STANDINGS_SHOWN = 10;
const TAKES = [
  ["lead", "To lead"],
  ["podium", "For the podium"],
  ["points", "For points"],
];

function standingRow(row, lastHeat) {
  const tr = el("tr", `cm-row${row.heat !== null && row.heat === lastHeat ? " is-new" : ""}`);
  tr.dataset.bib = String(row.bib);
  const flags = box("span", "cs-flags", ...(row.records ?? []).map((kind) => recordBadge(kind)));
  const who = box("td", "cs-who", box("span", "cs-who__in", el("span", "nation", row.nation), el("span", "name", row.name), flags));
  tr.append(
    el("td", "cs-rank", row.rank ?? ""),
    who,
    box("td", "cs-time", ...timeNodes(row)),
    el("td", "cs-behind", row.behind ?? ""),
    el("td", "cs-points", row.points ?? ""),
  );
  return tr;
}

export function standingsRender(body, moreNode, snapshot) {
  const standings = snapshot.standings ?? [];
  const rows = standings.slice(0, STANDINGS_SHOWN).map((row) => standingRow(row, snapshot.last_heat));
  if (!rows.length) {
    const empty = el("td", "cm-empty", "No results yet.");
    empty.colSpan = 5;
    rows.push(box("tr", "", empty));
  }
  body.replaceChildren(...rows);
  const more = standings.length - STANDINGS_SHOWN;
  moreNode.textContent = more > 0 ? `top ${STANDINGS_SHOWN} of ${standings.length}` : "";
}

// A place with nobody holding it yet (fewer finishers than the place) is "any finish"; points are left out of a race
// that pays none. Hidden before anyone has finished.
export function takesRender(section, list, whatItTakes) {
  const items = TAKES.filter(([field]) => whatItTakes && field in whatItTakes).flatMap(([field, label]) => {
    const mark = whatItTakes[field];
    const value = mark
      ? box("dd", "cm-take", el("strong", "cm-take__time", mark.time), ` beat ${mark.name}`)
      : el("dd", "cm-take cm-take--open", "any finish");
    return [el("dt", "cm-take__label", label), value];
  });
  list.replaceChildren(...items);
  section.hidden = !whatItTakes?.lead;
}

function recordItem(kind, time, who) {
  return box("li", "cm-record", recordBadge(kind), " ", el("strong", "cm-record__time", time), " ", who);
}

// National records a skater to come could take, one per nation, with who could.
function nationalRecords(commentary) {
  const byNation = new Map();
  for (const pair of commentary?.pairs ?? []) {
    for (const skater of pair.skaters ?? []) {
      if (!skater.nr?.time) continue;
      const entry = byNation.get(skater.nation) ?? { time: skater.nr.time, names: [] };
      entry.names.push(skater.name);
      byNation.set(skater.nation, entry);
    }
  }
  return [...byNation].map(([nation, { time, names }]) => recordItem("NR", time, `${nation}: ${names.join(", ")}`));
}

export function recordsRender(list, standingRecords, commentary) {
  const items = (standingRecords ?? []).map((record) =>
    recordItem(record.kind, record.time, `${record.holder} (${record.nation}) ${record.set_on?.slice(0, 4) ?? ""}`),
  );
  items.push(...nationalRecords(commentary));
  list.replaceChildren(...(items.length ? items : [el("li", "cm-empty", "No record on file for this distance.")]));
}
