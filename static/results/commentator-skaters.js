import { ordinal } from "./board-page.js";
import { etaNode } from "./eta-view.js";
import { LANE_SPOKEN, LANE_TITLES } from "./pairs-view.js";
import { el, laneMarker, recordBadge } from "./standings-view.js";

// What the commentator's screen (commentator.js) says about each skater: who they are, their personal and season
// best, World Cup rank and points before the race, national record, results earlier in the competition and the
// officials' note, from the commentary document (results/selectors/commentary.py). Every value may be missing: an
// absent one shows as a dash, never as an error.

export const NONE = "—";

// An element with its children (nodes or text; null and undefined left out).
export function box(tag, className, ...children) {
  const node = el(tag, className);
  node.append(...children.filter((child) => child !== null && child !== undefined));
  return node;
}

// The commentary's skaters by id, from its pairs.
export function factsById(commentary) {
  const byId = new Map();
  for (const pair of commentary?.pairs ?? []) for (const skater of pair.skaters ?? []) byId.set(skater.skater, skater);
  return byId;
}

export function whoNode(skater, className = "cm-who") {
  const lane = laneMarker(skater.lane, LANE_TITLES, LANE_SPOKEN);
  return box("p", className, lane, lane ? " " : null, el("span", "name", skater.name), " ", el("span", "nation", skater.nation));
}

function fact(label, value, title) {
  const item = box("div", "cm-fact", el("dt", "cm-fact__label", label), el("dd", "cm-fact__value", value ?? NONE));
  if (title) item.title = title;
  return item;
}

function worldCup(facts) {
  if (facts?.wc_rank === null || facts?.wc_rank === undefined) return NONE;
  const points = facts.wc_points === null || facts.wc_points === undefined ? "" : ` · ${facts.wc_points} pts`;
  return `${ordinal(facts.wc_rank)}${points}`;
}

// PB, SB, World Cup, NR: what a commentator reads first.
export function factsNode(facts) {
  return box(
    "dl",
    "cm-facts",
    fact("PB", facts?.pb?.time, "Personal best on this distance"),
    fact("SB", facts?.sb?.time, "Season best on this distance"),
    fact("World Cup", worldCup(facts), "World Cup rank and points before this race"),
    fact("NR", facts?.nr?.time, "National record of the skater's nation"),
  );
}

function earlierItem(entry) {
  const result = entry.time ?? [entry.status, entry.infraction].filter(Boolean).join(" ");
  const item = box(
    "li",
    "cm-earlier__item",
    el("span", "cm-earlier__race", entry.race.title),
    " ",
    el("strong", "cm-earlier__time", result || NONE),
  );
  if (entry.rank) item.append(" ", el("span", "cm-earlier__rank", ordinal(entry.rank)));
  for (const kind of entry.records ?? []) item.append(" ", recordBadge(kind));
  return item;
}

export function earlierNode(facts) {
  const earlier = facts?.earlier ?? [];
  if (!earlier.length) return el("p", "cm-earlier cm-earlier--none", "No earlier race in this competition.");
  return box("ul", "cm-earlier", ...earlier.map(earlierItem));
}

export function noteNode(facts) {
  if (!facts?.note?.text) return null;
  const note = box("p", "cm-note", el("span", "cm-note__label", "Note"), " ", facts.note.text);
  if (facts.note.by) note.title = `Written by ${facts.note.by}`;
  return note;
}

// A skater of a pair to come: who, the facts, earlier results, the note.
function skaterCard(skater, facts) {
  const card = box("div", "cm-skater", whoNode(skater), factsNode(facts), earlierNode(facts), noteNode(facts));
  card.dataset.skaterId = String(skater.skater);
  return card;
}

// A pair to come, focusable so that the keyboard can walk the list.
export function pairCard(heat, byId, { massStart = false } = {}) {
  const item = el("li", "cm-pair");
  item.tabIndex = 0;
  item.dataset.heat = String(heat.heat);
  const label = massStart ? "Mass start" : `Pair ${heat.heat}`;
  item.setAttribute("aria-label", label);
  const title = box("h3", "cm-pair__title", label);
  if (heat.eta) title.append(" ", etaNode(heat.eta));
  item.append(title, box("div", "cm-pair__skaters", ...heat.skaters.map((s) => skaterCard(s, byId.get(s.skater)))));
  return item;
}
