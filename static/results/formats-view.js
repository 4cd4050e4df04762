import { t, tn } from "./i18n.js";
import { el } from "./standings-view.js";

// What a race of another format adds to a standings row (results/rules/formats.py, docs/feed.md): a mass start's points
// per sprint and their total, a team pursuit's skaters under the team's name. Shared by the board (leaderboard.js)
// and the broadcasters' pages (static/embed/), which pass their own labels. The templates render the same:
// templates/results/_sprint_cells.html, _members.html.

export const MASS_START = "mass_start";

export function isMassStart(race) {
  return race?.format === MASS_START;
}

// "Sprint 2", or "Final sprint" for the last of the race's table (ranking_mass_start.sprint_name).
export function sprintName(number, count, labels = {}) {
  if (number === count) return labels.final_sprint ?? "Final sprint";
  return (labels.sprint ?? "Sprint {sprint}").replace("{sprint}", String(number));
}

// Board progress for a mass start (templates/results/_mass_start_progress.html): the finish, or the sprints in.
export function massStartProgress(race) {
  if (race.heats_done) return t("Finished");
  if (race.sprints_done) {
    return t("Sprint %(done)s of %(total)s", { done: race.sprints_done, total: race.sprint_points.length });
  }
  return t("Mass start");
}

// The cells a mass start's board row has after the pair column: each sprint's points (blank for none, or for a
// sprint still to come), the one saved last marked, then the total that ranks them.
export function sprintCells(row, race) {
  if (!isMassStart(race)) return [];
  const cells = (row.sprints ?? []).map((points, index) => {
    const classes = ["col-sprint"];
    if (points) classes.push("has-points");
    if (race.last_sprint === index + 1) classes.push("is-latest");
    return el("td", classes.join(" "), points || "");
  });
  cells.push(el("td", "col-race-points", row.race_points ?? ""));
  return cells;
}

// A team's skaters, under its name: "Joy BEUNE · Marijke GROENEWOUD · ...".
export function memberNodes(entrant, className = "members") {
  if (!entrant.members?.length) return [];
  return [el("span", className, entrant.members.join(" · "))];
}

// A mass start's skaters who scored in its latest sprint, most points first, each with what it scored there
// (sprint_gain), as results.web.embed.formats.latest_sprint_rows gives them.
export function latestSprintRows(snapshot) {
  const sprint = snapshot.race.last_sprint;
  if (!isMassStart(snapshot.race) || !sprint) return [];
  return snapshot.standings
    .map((row) => ({ ...row, sprint_gain: row.sprints[sprint - 1] }))
    .filter((row) => row.sprint_gain)
    .sort((a, b) => b.sprint_gain - a.sprint_gain);
}

// What a screen reader hears of a mass start's row: its points, and its time once known.
export function massStartSpoken(row) {
  const points =
    row.race_points === null
      ? row.status
      : tn("%(points)s point", "%(points)s points", row.race_points, { points: row.race_points });
  const rank = row.rank ? `, ${t("rank %(rank)s", { rank: row.rank })}` : "";
  return `${row.name} ${points}${row.time ? `, ${row.time}` : ""}${rank}.`;
}
