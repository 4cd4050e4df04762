import { ordinal } from "./board-page.js";
import { box, earlierNode, factsNode, noteNode, whoNode } from "./commentator-skaters.js";
import { gapNode } from "./passages-view.js";
import { el } from "./standings-view.js";

// The commentator's big panel: the pair on the ice (or, while nobody skates, the next pair), each skater with their
// latest passage, the projection of their finish, their gaps to the podium and their own bests, and the pair's
// head to head at every passage point. The feed's fields (docs/feed.md) are read defensively: a snapshot without
// projections or head to head draws the rest. A projection is always labelled as one, never shown as a result.

const REFERENCES = { leader: "the leader", fastest_finisher: "the fastest finisher" };
const TO_GAPS = [
  ["to_podium", "to podium"],
  ["to_pb", "to PB"],
  ["to_sb", "to SB"],
];

function passageNode(passage) {
  if (!passage) return el("p", "cm-passage cm-passage--none", "Started, no passage yet");
  return box(
    "p",
    "cm-passage",
    el("span", "cm-passage__at", `${passage.distance} m`),
    " ",
    el("span", "cm-passage__time", passage.time),
    " ",
    passage.rank ? el("span", "cm-passage__rank", ordinal(passage.rank)) : null,
    " ",
    gapNode(passage.behind),
  );
}

// "Projected 1:08.53 (2nd) if they skate the rest as Jutta LEERDAM".
export function projectionText(projected) {
  if (!projected?.time) return null;
  const rank = projected.rank ? ` (${ordinal(projected.rank)})` : "";
  const reference = projected.reference;
  const as = reference?.name ?? REFERENCES[reference?.kind] ?? "the reference";
  return `Projected ${projected.time}${rank} if they skate the rest as ${as}`;
}

function projectionNode(passage) {
  const text = projectionText(passage?.projected);
  if (!text) return null;
  const node = box("p", "cm-projection", el("span", "cm-projection__label", "Projection"), " ", text);
  if (passage.projected.reference?.kind) node.dataset.reference = passage.projected.reference.kind;
  return node;
}

function gapsNode(passage) {
  const gaps = TO_GAPS.filter(([field]) => passage?.[field]).map(([field, label]) =>
    box("span", "cm-to", el("span", "cm-to__label", label), " ", gapNode(passage[field], "gap")),
  );
  return gaps.length ? box("p", "cm-tos", ...gaps) : null;
}

function iceSkater(skater, facts) {
  const card = box(
    "div",
    "cm-ice-skater",
    whoNode(skater, "cm-who cm-who--big"),
    skater.onIce ? passageNode(skater.passage) : null,
    skater.onIce ? projectionNode(skater.passage) : null,
    skater.onIce ? gapsNode(skater.passage) : null,
    factsNode(facts),
    noteNode(facts),
    earlierNode(facts),
  );
  card.dataset.skaterId = String(skater.skater);
  return card;
}

function timeCell(time) {
  return el("td", "cm-h2h__time", time?.time ?? "");
}

// The pair against each other at every passage point: each one's time, the gap, who was ahead.
export function headToHeadNode(headToHead) {
  const skaters = headToHead?.skaters ?? [];
  const points = headToHead?.points ?? [];
  if (skaters.length < 2 || !points.length) return null;
  const names = new Map(skaters.map((skater) => [skater.bib, skater.name]));
  const head = box(
    "tr",
    "",
    el("th", "", "At"),
    ...skaters.map((skater) => {
      const th = el("th", `cm-h2h__who cm-h2h__who--${skater.armband ?? "none"}`, skater.name);
      th.scope = "col";
      return th;
    }),
    el("th", "", "Gap"),
  );
  const rows = points.map((point) =>
    box(
      "tr",
      "",
      el("th", "cm-h2h__at", `${point.distance} m`),
      ...skaters.map((_, index) => timeCell(point.times?.[index])),
      el("td", "cm-h2h__gap", point.ahead ? `${names.get(point.ahead) ?? point.ahead} by ${point.gap}` : (point.gap ?? "")),
    ),
  );
  const table = box("table", "cm-h2h", box("thead", "", head), box("tbody", "", ...rows));
  const caption = el("caption", "cm-h2h__caption", "Head to head");
  table.prepend(caption);
  return table;
}

// Draws the panel: `heats` are the on-ice heats (skaters with their passage), or the next pair to skate.
export function icePanelRender(container, titleNode, { heats, onIce, byId }) {
  titleNode.textContent = onIce ? "On the ice" : heats.length ? "Next on the ice" : "Nobody on the ice";
  container.replaceChildren(
    ...heats.map((heat) => {
      const pair = box(
        "div",
        "cm-ice-pair",
        el("h3", "cm-ice-pair__title", heat.label),
        box("div", "cm-ice-pair__skaters", ...heat.skaters.map((s) => iceSkater({ ...s, onIce }, byId.get(s.skater)))),
        onIce ? headToHeadNode(heat.head_to_head) : null,
      );
      pair.dataset.heat = String(heat.heat);
      return pair;
    }),
  );
}
