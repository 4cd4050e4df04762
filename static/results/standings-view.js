// Pieces of a standings row, shared by every page that draws one from a snapshot: the public board
// (leaderboard.js) and the broadcasters' pages (static/embed/). Labels come from the caller, so each page keeps
// its own language. Text always goes in with textContent, never as markup.

// The pair of a skater who withdrew before the draw: none (the server's templates show the same).
export const NO_PAIR = "–";

export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

// A record flag: <span class="rec rec--WR" title="World record">WR</span>.
export function recordBadge(kind, title) {
  const badge = el("span", `rec rec--${kind}`, kind);
  if (title) badge.title = title;
  return badge;
}

// An armband: <span class="lane lane--I" title="...">I<span class="visually-hidden">...</span></span>.
// names: { I: title, O: title } and optionally spoken: { I: " inner lane", O: " outer lane" }.
export function laneMarker(lane, names, spoken = {}) {
  if (lane !== "I" && lane !== "O") return null;
  const marker = el("span", `lane lane--${lane}`, lane);
  marker.title = names[lane];
  if (spoken[lane]) marker.append(el("span", "visually-hidden", spoken[lane]));
  return marker;
}

// What a time cell holds: "1:16.35" and the thousandth "(4)" apart, so the hundredths of every time line up;
// the status (and rule code) for a non-finisher; nothing for a mass start's skater still racing, or finished
// without a time typed (their points rank them).
export function timeNodes(row) {
  if (row.time === null && (row.status === null || row.status === "OK")) return [];
  if (row.time === null) {
    return [el("span", "out-status", row.infraction ? `${row.status} ${row.infraction}` : row.status)];
  }
  const match = /^(.*)(\(\d\))$/.exec(row.time);
  return match ? [match[1], el("span", "thou", match[2])] : [row.time];
}

// Skaters whose result this version corrected: spectators should notice a change they did not expect.
export function correctedBibs(change) {
  return new Set(change && change.kind === "correction" ? change.bibs : []);
}

export function awardsPoints(standings) {
  return standings.some((row) => row.points !== null);
}
