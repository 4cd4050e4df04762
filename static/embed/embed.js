import { isMassStart, memberNodes } from "../results/formats-view.js";
import { NO_PAIR, awardsPoints, correctedBibs } from "../results/standings-view.js";
import { racePoints } from "./plate-cells.js";
import {
  el,
  follow,
  labels,
  lane,
  progressText,
  rank,
  records,
  ref,
  root,
  rowClass,
  rowsShown,
  span,
  time,
} from "./live.js";

// The embeddable board: the chosen fields of the chosen rows, redrawn from each newer snapshot in the markup of
// templates/embed/embed.html.

const dom = { progress: ref("progress"), head: ref("head"), rows: ref("rows") };
const fields = root.dataset.fields.split(",");
const rowCount = Number(root.dataset.rows) || null;

const CELLS = {
  rank: (row) => [rank(row)],
  name: (row, corrected) => [
    span("name", row.name),
    ...(corrected ? [" ", el("span", "tag-corrected", labels.corrected)] : []),
    ...memberNodes(row).flatMap((node) => [" ", node]),
  ],
  nation: (row) => [row.nation],
  heat: (row) => [row.heat === null ? NO_PAIR : String(row.heat)],
  lane: (row) => [lane(row.lane)],
  time: (row) => time(row),
  behind: (row) => [row.behind],
  points: (row) => [String(row.points ?? "")],
  race_points: (row) => racePoints(row),
  records: (row) => records(row),
};

// Mirrors results.web.embed.views.fields_shown: no points column in a race that awards none; and
// results.web.embed.formats.fields_for: a mass start's total before the time, no pair, lane or gap.
const MASS_START_FIELDS = { time: ["race_points", "time"], behind: [], heat: [], lane: [] };

function fieldsShown(snapshot) {
  const withPoints = awardsPoints(snapshot.standings);
  const shown = fields.filter((name) => name !== "points" || withPoints);
  if (!isMassStart(snapshot.race)) return shown;
  return shown.flatMap((name) => MASS_START_FIELDS[name] ?? [name]);
}

function headRender(shownFields) {
  dom.head.replaceChildren(
    ...shownFields.map((name) => {
      const th = el("th", `f-${name}`, labels[name]);
      th.scope = "col";
      return th;
    }),
  );
}

function rowsRender(snapshot, shownFields) {
  const corrected = correctedBibs(snapshot.change);
  const rows = rowsShown(snapshot.standings, rowCount).map((row) => {
    const tr = el("tr", rowClass(row, snapshot, corrected.has(row.bib)));
    tr.dataset.bib = String(row.bib);
    for (const name of shownFields) {
      const td = el("td", `f-${name}`);
      td.append(...CELLS[name](row, corrected.has(row.bib)));
      tr.append(td);
    }
    return tr;
  });
  if (!rows.length) {
    const empty = el("tr", "row-empty");
    const cell = el("td", "", labels.no_results);
    cell.colSpan = shownFields.length;
    empty.append(cell);
    rows.push(empty);
  }
  dom.rows.replaceChildren(...rows);
}

function render(snapshot) {
  dom.progress.textContent = progressText(snapshot.race);
  const shownFields = fieldsShown(snapshot);
  headRender(shownFields);
  rowsRender(snapshot, shownFields);
}

follow(render);
