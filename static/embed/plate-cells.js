import { memberNodes } from "../results/formats-view.js";
import { el, labels, lane, rank, records, span, time } from "./live.js";

// The cells of one skater's plate on the overlays and the scoreboard, as templates/embed/_plate_cells.html renders
// them: as in the standings, rank first; byLane, as a pair is announced (lane first, the rank after the time);
// corrected, this version corrected the result, which the name says. A mass start's row (it has race_points): its
// points total where the time goes, the finish time where the gap goes, and in its latest sprint (byLane) what the
// skater scored there where the lane goes. A team's skaters under its name.
export function plateCells(row, { byLane = false, corrected = false } = {}) {
  const massStart = "race_points" in row;
  const name = span("c-name", row.name);
  if (corrected) name.append(" ", el("span", "tag-corrected", labels.corrected));
  name.append(...memberNodes(row).flatMap((node) => [" ", node]));
  const rankCell = span("c-rank", rank(row));
  const first = massStart ? el("span", "sprint-gain", `+${row.sprint_gain ?? 0}`) : lane(row.lane);
  return [
    byLane ? span("c-lane", first) : rankCell,
    span("c-nation", row.nation),
    name,
    span("c-records", ...records(row)),
    span("c-time", ...(massStart ? racePoints(row) : time(row))),
    ...(byLane ? [rankCell] : []),
    span("c-behind", ...(massStart ? (row.time ? time(row) : []) : [row.behind])),
  ];
}

// A mass start's total as templates/embed/_race_points.html shows it; a non-finisher's status instead.
export function racePoints(row) {
  if (row.race_points === null) return time(row);
  return [String(row.race_points), el("span", "unit", ` ${labels.points}`)];
}
