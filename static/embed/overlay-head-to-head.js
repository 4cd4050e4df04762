import { isMassStart } from "../results/formats-view.js";
import { el, follow, labels, lane, pairLabel, playEntrance, ref, span } from "./live.js";

// Head to head (templates/embed/overlay_head_to_head.html): the pair on the ice side by side, a column per point
// reached (the last four), the time of whoever was ahead there in bold, the gap on the leader's armband colour.
// results.web.intelligence.duel_table lays out the same for the server-rendered page.

const POINTS_SHOWN = 4;
const dom = { panel: ref("panel"), pair: ref("pair"), duel: ref("duel") };
let shownPair = dom.panel.hidden ? null : dom.pair.textContent;

function heads(points, distance) {
  const row = el("div", "h2h-row h2h-heads");
  row.append(span(""), span(""), span(""));
  for (const point of points) {
    row.append(span("h2h-at", point.distance === distance ? labels.finish : `${point.distance} m`));
  }
  return row;
}

function skaterRow(skater, index, points) {
  const row = el("div", `lt-row h2h-row lane-${skater.lane ?? "none"}`);
  row.dataset.bib = String(skater.bib);
  row.append(span("c-lane", lane(skater.lane)), span("c-nation", skater.nation), span("c-name", skater.name));
  for (const point of points) {
    const time = point.times[index];
    row.append(span(`h2h-time${point.ahead === skater.bib ? " is-ahead" : ""}`, time ? time.time : ""));
  }
  return row;
}

function gaps(points, skaters) {
  const row = el("div", "h2h-row h2h-gaps");
  row.append(span(""), span(""), span(""));
  for (const point of points) {
    const ahead = skaters.find((skater) => skater.bib === point.ahead);
    row.append(span("h2h-gap", ...(ahead ? [span(`h2h-gap__chip armband-${ahead.armband}`, point.gap)] : [])));
  }
  return row;
}

function render(snapshot) {
  const [heat] = isMassStart(snapshot.race) ? [] : (snapshot.on_ice ?? []);
  const duel = heat?.head_to_head;
  const shown = Boolean(duel && duel.skaters.length >= 2 && duel.points.length);
  dom.panel.hidden = !shown;
  if (!shown) {
    shownPair = null;
    return;
  }
  const points = duel.points.slice(-POINTS_SHOWN);
  dom.pair.textContent = pairLabel(heat.heat);
  dom.duel.style.setProperty("--points", String(points.length));
  dom.duel.replaceChildren(
    heads(points, snapshot.race.distance),
    ...duel.skaters.map((skater, index) => skaterRow(skater, index, points)),
    gaps(points, duel.skaters),
  );
  if (shownPair !== dom.pair.textContent) playEntrance(dom.panel);
  shownPair = dom.pair.textContent;
}

if (!dom.panel.hidden) playEntrance(dom.panel);
follow(render);
