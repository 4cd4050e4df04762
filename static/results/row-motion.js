// Standings rows that slide from their old places to their new ones when a new version re-orders them (FLIP),
// on both live boards (leaderboard.js, classification.js); a row that was not there fades in.

const MOVE_MS = 400;
const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");

// Before re-rendering: the rows tr[data-<key>] of `tbody` by that key (to reuse them), and where each one is.
export function rowsNoted(tbody, key) {
  const byKey = new Map();
  const tops = new Map();
  for (const tr of tbody.querySelectorAll(`tr[data-${key}]`)) {
    byKey.set(tr.dataset[key], tr);
    tops.set(tr, tr.getBoundingClientRect().top);
  }
  return { byKey, tops };
}

// After: each row of `rows` slides from where `tops` (rowsNoted's) had it.
export function rowsAnimate(rows, tops) {
  if (reducedMotion.matches) return;
  for (const tr of rows) {
    const top = tops.get(tr);
    if (top === undefined) {
      tr.animate([{ opacity: 0 }, { opacity: 1 }], { duration: MOVE_MS, easing: "ease-out" });
      continue;
    }
    const dy = top - tr.getBoundingClientRect().top;
    if (Math.abs(dy) < 1) continue;
    tr.animate([{ transform: `translateY(${dy}px)` }, { transform: "translateY(0)" }], {
      duration: MOVE_MS,
      easing: "cubic-bezier(0.2, 0.8, 0.2, 1)",
    });
  }
}
