import { boardFollow, headShow, updatedShow } from "./board-page.js";
import { icePanelRender } from "./commentator-ice.js";
import { recordsRender, standingsRender, takesRender } from "./commentator-side.js";
import { factsById, pairCard } from "./commentator-skaters.js";
import { isMassStart } from "./formats-view.js";

// The commentator's screen (templates/results/commentator.html, docs/commentators.md). Follows the race's socket
// as the public board does (board-page.js, feed.js) and redraws from every newer snapshot; re-reads the
// commentary (PB, SB, World Cup, earlier results, notes) after each change that can alter it, and every minute for
// notes written meanwhile. [ and ] (or P and N) open the previous and next race of the programme.

const page = document.getElementById("commentator");
const ref = (name) => page.querySelector(`[data-ref="${name}"]`);
const REFETCH_KINDS = new Set(page.dataset.refetchKinds.split(","));
const NOTES_REFRESH_MS = 60_000;
const KEYS = { "[": "previousRace", p: "previousRace", "]": "nextRace", n: "nextRace" };

const state = {
  snapshot: JSON.parse(document.getElementById("cm-snapshot").textContent),
  commentary: JSON.parse(document.getElementById("cm-commentary").textContent),
};
let asked = 0;

function progressText(race) {
  if (isMassStart(race)) return race.heats_done ? "Finished" : "Mass start";
  if (race.heats_done) return `Pair ${race.heats_done} of ${race.heats}`;
  return race.heats ? `${race.heats} pairs` : "No start list yet";
}

// The pairs still to skate, in order: the snapshot's first ones, then the commentary's further ones. A pair the
// snapshot no longer lists as to come (just skated) is left out even while the commentary is being re-read.
function pairsToCome(snapshot, commentary) {
  const next = snapshot.next_heats ?? [];
  if (!next.length) return [];
  const last = next[next.length - 1].heat;
  const further = (commentary?.pairs ?? []).filter((pair) => pair.heat > last);
  return [...next, ...further];
}

function iceHeats(snapshot, toCome) {
  const onIce = snapshot.on_ice ?? [];
  const massStart = isMassStart(snapshot.race);
  const label = (heat) => (massStart ? "Mass start" : `Pair ${heat.heat}`);
  if (onIce.length) return { onIce: true, heats: onIce.map((heat) => ({ ...heat, label: label(heat) })) };
  return { onIce: false, heats: toCome.slice(0, 1).map((heat) => ({ ...heat, label: label(heat) })) };
}

function render() {
  const { snapshot, commentary } = state;
  const { race } = snapshot;
  headShow(page, {
    title: race.title,
    competition: `Commentator · ${race.competition.name}`,
    status: race.status,
    progressText: progressText(race),
    done: race.heats_done,
    of: race.heats,
  });
  const byId = factsById(commentary);
  const toCome = pairsToCome(snapshot, commentary);
  const ice = iceHeats(snapshot, toCome);
  icePanelRender(ref("ice-pairs"), ref("ice-title"), { ...ice, byId });
  const shownOnIce = new Set(ice.heats.map((heat) => heat.heat));
  const rest = toCome.filter((heat) => !shownOnIce.has(heat.heat));
  ref("next").replaceChildren(...rest.map((heat) => pairCard(heat, byId, { massStart: isMassStart(race) })));
  ref("next-empty").hidden = rest.length > 0;
  standingsRender(ref("standings"), ref("standings-more"), snapshot);
  takesRender(ref("takes-section"), ref("takes"), snapshot.what_it_takes);
  recordsRender(ref("records"), snapshot.standing_records, commentary);
  updatedShow(page, snapshot.updated_at);
  page.dataset.commentaryPairs = String(commentary?.pairs?.length ?? 0);
  // Last, so whoever waits on data-version finds the page already showing it.
  page.dataset.version = String(snapshot.version);
}

// Re-reads the commentary; an older answer arriving after a newer one is dropped.
async function commentaryRefetch() {
  asked += 1;
  const mine = asked;
  try {
    const response = await fetch(page.dataset.commentary, { credentials: "same-origin", cache: "no-store" });
    if (!response.ok || mine !== asked) return;
    const commentary = await response.json();
    if (mine !== asked) return;
    state.commentary = commentary;
    render();
    page.dataset.commentaryRead = String(Number(page.dataset.commentaryRead ?? 0) + 1);
  } catch (error) {
    console.warn("commentary: not read", error);
  }
}

function snapshotShow(snapshot) {
  state.snapshot = snapshot;
  render();
  if (REFETCH_KINDS.has(snapshot.change?.kind)) commentaryRefetch();
}

// [ ] and P N, unless typing somewhere or with a modifier (the browser's own shortcuts).
document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.target.closest?.("input, textarea, select, [contenteditable]")) return;
  const where = KEYS[event.key.toLowerCase()];
  const target = where && page.dataset[where];
  if (!target) return;
  event.preventDefault();
  window.location.assign(target);
});

render();
page.querySelector(".cm-race.is-current")?.scrollIntoView({ block: "nearest", inline: "center" });
boardFollow(page, {
  version: state.snapshot.version,
  type: "snapshot",
  onSnapshot: snapshotShow,
  notFound: { label: "Race not found", alert: "This race no longer exists: reload the screen." },
});
window.setInterval(commentaryRefetch, NOTES_REFRESH_MS);
