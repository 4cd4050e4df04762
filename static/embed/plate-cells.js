import { el, labels, lane, rank, records, span, time } from "./live.js";

// The cells of one skater's plate on the overlays and the scoreboard, as templates/embed/_plate_cells.html renders
// them: as in the standings, rank first; byLane, as a pair is announced (lane first, the rank after the time);
// corrected, this version corrected the result, which the name says.
export function plateCells(row, { byLane = false, corrected = false } = {}) {
  const name = span("c-name", row.name);
  if (corrected) name.append(" ", el("span", "tag-corrected", labels.corrected));
  const rankCell = span("c-rank", rank(row));
  return [
    byLane ? span("c-lane", lane(row.lane)) : rankCell,
    span("c-nation", row.nation),
    name,
    span("c-records", ...records(row)),
    span("c-time", ...time(row)),
    ...(byLane ? [rankCell] : []),
    span("c-behind", row.behind),
  ];
}
