import { gapNode } from "../results/passages-view.js";
import { isMassStart } from "../results/formats-view.js";
import { el, follow, labels, lane, nextSkaters, pairLabel, playEntrance, ref, span } from "./live.js";

// "On the ice now / next" (templates/embed/overlay_on_ice.html): the first pair still to skate, in armband
// colours, and the pair after it. It wipes in again when the next pair goes on the ice.

const dom = {
  panel: ref("panel"),
  pair: ref("pair"),
  rows: ref("rows"),
  next: ref("next"),
  nextPair: ref("next-pair"),
  nextSkaters: ref("next-skaters"),
};
let onIce = dom.panel.hidden ? null : dom.pair.textContent;

// Each skater's latest passage, from the snapshot's on_ice (results.web.embed.views._on_ice does the same).
function passagesByBib(snapshot) {
  const passages = new Map();
  for (const heat of snapshot.on_ice ?? []) {
    for (const skater of heat.skaters) passages.set(skater.bib, skater.passage);
  }
  return passages;
}

// A projected finish, labelled and in italics: never drawn like a result (the board's intelligence-view.js).
function projection(passage) {
  const cell = span("c-proj");
  const projected = passage?.projected;
  if (!projected) return cell;
  cell.title = labels.projected_title;
  cell.append(
    span("proj-label", labels.projected),
    " ",
    span("proj-time", projected.time),
    " ",
    span("proj-rank", String(projected.rank)),
  );
  return cell;
}

function skaterRow(skater, passage) {
  const item = el("li", `lt-row lane-${skater.lane ?? "none"}`);
  item.dataset.bib = String(skater.bib);
  const gap = gapNode(passage?.behind);
  item.append(
    span("c-lane", lane(skater.lane)),
    span("c-nation", skater.nation),
    span("c-name", skater.name),
    span("c-at", passage ? `${passage.distance} m` : ""),
    span("c-split", passage ? passage.time : ""),
    span("c-gap", ...(gap ? [gap] : [])),
    projection(passage),
  );
  return item;
}

function render(snapshot) {
  // A mass start's whole field is on the ice: no pair to show (results.web.embed.formats).
  const [now, next] = isMassStart(snapshot.race) ? [] : snapshot.next_heats;
  dom.panel.hidden = !now;
  if (!now) {
    onIce = null;
    return;
  }
  dom.pair.textContent = pairLabel(now.heat);
  const passages = passagesByBib(snapshot);
  dom.rows.replaceChildren(...now.skaters.map((skater) => skaterRow(skater, passages.get(skater.bib))));
  dom.next.hidden = !next;
  if (next) {
    dom.nextPair.textContent = pairLabel(next.heat);
    dom.nextSkaters.replaceChildren(...nextSkaters(next));
  }
  if (onIce !== dom.pair.textContent) playEntrance(dom.panel);
  onIce = dom.pair.textContent;
}

if (!dom.panel.hidden) playEntrance(dom.panel);
follow(render);
