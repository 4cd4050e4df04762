import { etaNode } from "./eta-view.js";
import { followRace } from "./feed.js";
import { followedSkaters } from "./follow.js";
import { t } from "./i18n.js";
import { el, laneMarker, recordBadge } from "./standings-view.js";
import { statusLabel } from "./board-page.js";

// "My skaters" (templates/results/my_skaters.html): the skaters this browser follows, each with every race of the
// competition they are in: the pair and lane, when it is expected to start, and the result as the board shows it.
// Drawn from /api/competitions/<id>/skaters; drawn again whenever one of their races changes (its socket).

const page = document.getElementById("my-skaters");
const list = page.querySelector('[data-ref="list"]');
const empty = page.querySelector('[data-ref="empty"]');
const LANES = { I: t("Inner lane"), O: t("Outer lane") };
// What a screen reader says after the lane's letter: "I, inner lane".
const LANES_SPOKEN = { I: ` ${t("inner lane")}`, O: ` ${t("outer lane")}` };
const REFETCH_DELAY_MS = 300;
const followedRaces = new Set();
let refetchTimer = null;

// An element with its children (nodes, or text).
function box(tag, className, ...children) {
  const node = el(tag, className);
  node.append(...children.filter((child) => child !== null && child !== undefined));
  return node;
}

function resultNodes(result) {
  if (!result) return [];
  const text = result.time ?? [result.status, result.infraction].filter(Boolean).join(" ");
  const nodes = [el("strong", "my-entry__time", text)];
  if (result.rank) nodes.push(el("span", "my-entry__rank", t("Rank %(rank)s", { rank: result.rank })));
  if (result.behind) nodes.push(el("span", "my-entry__behind", result.behind));
  for (const kind of result.records ?? []) nodes.push(recordBadge(kind));
  return nodes;
}

function whereNodes(entry) {
  if (entry.heat === null) return [el("span", "my-entry__pair", t("Withdrew before the draw"))];
  const nodes = [el("span", "my-entry__pair", t("Pair %(heat)s", { heat: entry.heat }))];
  const lane = laneMarker(entry.lane, LANES, LANES_SPOKEN);
  if (lane) nodes.push(lane);
  if (entry.eta) nodes.push(etaNode(entry.eta));
  return nodes;
}

function entryNode(entry, skaterId) {
  const item = el("li", `my-entry my-entry--${entry.result ? "done" : "to-come"}`);
  const link = el("a", "my-entry__race", entry.race.title);
  link.href = `/races/${entry.race.id}/#skater-${skaterId}`;
  const status = el("span", `status status--${entry.race.status}`, statusLabel(entry.race.status));
  item.append(
    box("div", "my-entry__head", link, " ", status),
    box("div", "my-entry__detail", ...whereNodes(entry), ...resultNodes(entry.result)),
  );
  return item;
}

function skaterNode(skater) {
  const card = el("section", "my-skater");
  card.dataset.skater = String(skater.skater);
  const head = box("h2", "my-skater__name", el("span", "name", skater.name), " ", el("span", "nation", skater.nation));
  const entries = skater.entries.length
    ? box("ol", "my-skater__entries", ...skater.entries.map((entry) => entryNode(entry, skater.skater)))
    : el("p", "my-skater__none", t("Not in a race of this competition."));
  card.append(head, entries);
  return card;
}

function racesFollow(document_) {
  for (const skater of document_.skaters) {
    for (const entry of skater.entries) {
      const { id, status } = entry.race;
      if (status === "OFFICIAL" || followedRaces.has(id)) continue;
      followedRaces.add(id);
      followRace({ path: `/ws/races/${id}/`, onSnapshot: refetchSoon, onState: () => {} });
    }
  }
}

async function render() {
  const ids = Object.keys(followedSkaters());
  if (!ids.length) {
    list.replaceChildren(empty);
    empty.hidden = false;
    return;
  }
  const response = await fetch(`${page.dataset.api}?ids=${ids.slice(0, 50).join(",")}`);
  if (!response.ok) return;
  const document_ = await response.json();
  const cards = document_.skaters.map(skaterNode);
  empty.hidden = cards.length > 0;
  list.replaceChildren(...(cards.length ? cards : [empty]));
  racesFollow(document_);
}

function refetchSoon() {
  window.clearTimeout(refetchTimer);
  refetchTimer = window.setTimeout(render, REFETCH_DELAY_MS);
}

document.addEventListener("skating:followed", refetchSoon);
render();
