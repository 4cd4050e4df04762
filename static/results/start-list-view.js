import { pairItem } from "./pairs-view.js";

// The board's whole start list (race_leaderboard.html, <details data-start-list>): every pair still to skate, with
// its expected start, read from /api/races/<id>/start-list when it is opened and again after every change of the
// race while it stays open (the socket's snapshot carries only the next three pairs). The browser revalidates with
// the ETag: an unchanged list costs a 304.

const panel = document.querySelector("[data-start-list]");

async function refresh() {
  const response = await fetch(panel.dataset.startList, { cache: "no-cache" });
  if (!response.ok) return;
  const { pairs } = await response.json();
  const massStart = document.getElementById("board")?.dataset.format === "mass_start";
  panel.querySelector('[data-ref="start-list"]').replaceChildren(
    ...pairs.map((heat) => pairItem(heat, { massStart, className: "next-heat start-list__pair" })),
  );
  panel.querySelector('[data-ref="start-list-empty"]').hidden = pairs.length > 0;
}

if (panel) {
  panel.addEventListener("toggle", () => panel.open && refresh().catch(() => null));
  document.addEventListener("skating:snapshot", () => panel.open && refresh().catch(() => null));
}
