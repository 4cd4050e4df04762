import { t } from "./i18n.js";
import { el } from "./standings-view.js";

// Race intelligence on the public board (leaderboard.js, passages-view.js): a skater's projected finish in the
// "On the ice" table, the pair head to head under it, and "What it takes" under the pairs to come. The same markup
// as the templates results/_projection.html, _head_to_head.html and _what_it_takes.html: keep them in step.
// A projection is never drawn like a result: it is labelled "proj.", in italics, with its reference named.

const ARMBAND_TITLES = { white: t("Inner lane, white armband"), red: t("Outer lane, red armband") };

function gapText(label, gap) {
  return gap === null || gap === undefined ? null : `${label} ${gap || "±0.00"}`;
}

// "proj. 1:06.10 [2]", and under it "as ŻUREK · podium -0.38 · PB +0.58"; nothing before anyone has finished
// with a time at that passage.
function projectionNodes(passage) {
  const projected = passage?.projected;
  if (!projected) return [];
  const line = el("span", "projection");
  line.title = t("Projected finish if they skate the rest as %(name)s did: a projection, not a result", {
    name: projected.reference.name,
  });
  const rank = el("span", "projection__rank", projected.rank);
  rank.title = t("Projected rank");
  line.append(el("span", "projection__label", t("proj.")), " ", el("span", "projection__time", projected.time), " ", rank);
  const gaps = [
    t("as %(name)s", { name: projected.reference.name }),
    gapText(t("podium"), passage.to_podium),
    gapText("PB", passage.to_pb),
    gapText("SB", passage.to_sb),
  ].filter(Boolean);
  return [line, el("span", "projection__gaps", gaps.join(" · "))];
}

// <td class="oi-proj">: the projection's own column, on screens wide enough for it.
export function projectionCell(passage) {
  const cell = el("td", "oi-proj");
  cell.append(...projectionNodes(passage));
  return cell;
}

// <tr class="on-ice-projection">: the same under the skater's row, on a phone (site CSS shows one or the other).
export function projectionRow(passage, columns) {
  const tr = el("tr", "on-ice-projection");
  const cell = el("td");
  cell.colSpan = columns;
  cell.append(...projectionNodes(passage));
  tr.hidden = cell.childElementCount === 0;
  tr.append(cell);
  return tr;
}

function armband(colour) {
  const mark = el("span", `armband armband--${colour ?? "none"}`);
  if (colour) mark.title = ARMBAND_TITLES[colour];
  return mark;
}

// The last points reached that the duel shows: a 10000 m has 25 (results.web.intelligence.DUEL_POINTS_SHOWN).
const DUEL_POINTS_SHOWN = 4;

// <tr class="on-ice-duel">: the pair side by side, a column per point reached (passages, then the finish; the
// last four), the time of whoever was ahead there in bold, and the gap between them.
export function headToHeadRow(duel, distance, columns) {
  const tr = el("tr", "on-ice-duel");
  const cell = el("td");
  cell.colSpan = columns;
  if (!duel || duel.skaters.length < 2 || duel.points.length === 0) {
    tr.hidden = true;
    tr.append(cell);
    return tr;
  }
  const points = duel.points.slice(-DUEL_POINTS_SHOWN);
  const table = el("table", "duel");
  table.append(el("caption", "duel__title", t("Head to head")));
  const head = el("tr");
  head.append(el("th", "duel__who"));
  for (const point of points) {
    const th = el("th", "", point.distance === distance ? t("Finish") : `${point.distance} m`);
    th.scope = "col";
    head.append(th);
  }
  const body = duel.skaters.map((skater, index) => {
    const row = el("tr");
    const who = el("th", "duel__who");
    who.scope = "row";
    who.append(armband(skater.armband), " ", el("span", "name", skater.name));
    row.append(who);
    for (const point of points) {
      const time = point.times[index];
      const td = el("td", point.ahead === skater.bib ? "is-ahead" : "", time ? time.time : "");
      row.append(td);
    }
    return row;
  });
  const gaps = el("tr", "duel__gaps");
  gaps.append(el("th", "duel__who", t("Gap")));
  for (const point of points) {
    const td = el("td");
    const ahead = duel.skaters.find((skater) => skater.bib === point.ahead);
    if (ahead) td.append(armband(ahead.armband), ` ${point.gap}`);
    gaps.append(td);
  }
  const thead = el("thead");
  thead.append(head);
  const tbody = el("tbody");
  tbody.append(...body, gaps);
  table.append(thead, tbody);
  cell.append(table);
  tr.append(cell);
  return tr;
}

const PLACES = [
  ["lead", () => t("To lead")],
  ["podium", () => t("Podium")],
  ["points", () => t("Points")],
];

// "What it takes", as of now: the time to beat for the lead, the podium and the points. Hidden before anyone has
// finished, once every pair has skated, and for a mass start (what_it_takes null).
export function whatItTakesRender(section, taken, pairsToCome) {
  const list = section.querySelector("dl");
  list.replaceChildren();
  section.hidden = !taken || !taken.lead || pairsToCome === 0;
  if (section.hidden) return;
  for (const [key, label] of PLACES) {
    if (!(key in taken)) continue;
    const mark = taken[key];
    const value = el("dd", mark ? "" : "is-open");
    if (mark) value.append(el("span", "wit__time", mark.time), " ", el("span", "wit__who", mark.name));
    else value.textContent = t("any finish");
    list.append(el("dt", "", label()), value);
  }
}
