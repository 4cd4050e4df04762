import { boardFollow, headShow, ordinal, updatedShow } from "./board-page.js";
import { onIceRender, splitsRow, splitsToggle, splitsToggleRow } from "./passages-view.js";
import { whatItTakesRender } from "./intelligence-view.js";
import { NO_PAIR, awardsPoints, correctedBibs, el, laneMarker, recordBadge, timeNodes } from "./standings-view.js";
import { isMassStart, massStartProgress, massStartSpoken, memberNodes, sprintCells } from "./formats-view.js";
import { rowsAnimate, rowsNoted } from "./row-motion.js";
import { LANE_SPOKEN, LANE_TITLES, pairItem } from "./pairs-view.js";
import { pageLanguage, t, tn } from "./i18n.js";

// Keeps a server-rendered race leaderboard live. The race socket sends the snapshot document on connect and after
// every change; each newer version is rendered into the same markup the template produces (race_leaderboard.html).

const board = document.getElementById("board");
const ref = (name) => board.querySelector(`[data-ref="${name}"]`);
const dom = {
  records: ref("records"),
  rows: ref("rows"),
  pointsHead: ref("points-head"),
  next: ref("next"),
  nextEmpty: ref("next-empty"),
  announcer: ref("announcer"),
  onIce: ref("on-ice-section"),
  whatItTakes: ref("what-it-takes"),
};

const COLUMNS = 8;

// Words in the page's language (i18n.js), the templates' own where they show the same.
const STATUS_SPOKEN = {
  UNOFFICIAL: t("All pairs have skated; results are unofficial."),
  OFFICIAL: t("Results are official."),
  PROTESTED: t("Results are under review."),
};
const RECORD_NAMES = {
  WR: t("World record"),
  OR: t("Olympic record"),
  TR: t("Track record"),
  NR: t("National record"),
  PB: t("Personal best"),
  SB: t("Season best"),
};
const OUT_SPOKEN = { DNF: t("did not finish"), DQ: t("disqualified"), DNS: t("did not start"), WDR: t("withdrew") };
// A record's name inside a sentence: "1st, personal best" (lower case only where a language writes it so).
const recordSpoken = (kind) => {
  const name = RECORD_NAMES[kind] ?? kind;
  return pageLanguage().startsWith("en") ? name.toLowerCase() : name;
};
// The race as last drawn: its format decides what a row shows (formats-view.js).
let currentRace = { format: board.dataset.format };

// Skaters whose splits a spectator opened: they stay open as the standings change.
const openSplits = new Set();

let shown = {
  version: Number(board.dataset.version),
  lastHeat: board.dataset.lastHeat ? Number(board.dataset.lastHeat) : null,
  status: board.dataset.status,
};

// ---------------------------------------------------------------- rendering

function render(snapshot) {
  const previous = shown;
  const { race } = snapshot;
  currentRace = race;
  raceRender(race);
  recordsRender(snapshot.standing_records);
  onIceRender(dom.onIce, snapshot.on_ice, { laneTitles: LANE_TITLES, laneSpoken: LANE_SPOKEN, distance: race.distance });
  whatItTakesRender(dom.whatItTakes, snapshot.what_it_takes, snapshot.next_heats.length);
  standingsRender(snapshot.standings, snapshot.last_heat, snapshot.next_heats, correctedBibs(snapshot.change));
  nextHeatsRender(snapshot.next_heats, race.heats, snapshot.on_ice ?? []);
  updatedShow(board, snapshot.updated_at);
  announce(snapshot, previous);
  shown = { version: snapshot.version, lastHeat: snapshot.last_heat, status: race.status };
  board.dataset.status = race.status;
  board.dataset.lastHeat = snapshot.last_heat ?? "";
  // Last, so whoever waits on data-version finds the page already showing it.
  board.dataset.version = String(snapshot.version);
}

function raceRender(race) {
  headShow(board, {
    title: race.title,
    competition: race.competition.name,
    status: race.status,
    progressText: progressText(race),
    done: race.heats_done,
    of: race.heats,
  });
}

function progressText(race) {
  if (isMassStart(race)) return massStartProgress(race);
  if (race.heats_done) return t("Pair %(done)s of %(total)s", { done: race.heats_done, total: race.heats });
  if (race.heats) return tn("%(total)s pair", "%(total)s pairs", race.heats, { total: race.heats });
  return t("No start list yet");
}

function recordsRender(records) {
  dom.records.replaceChildren(
    ...records.map((record) => {
      const item = el("li", "standing-record");
      const year = record.set_on.slice(0, 4);
      item.append(
        recordBadge(record.kind, RECORD_NAMES[record.kind]),
        " ",
        el("span", "standing-record__time", record.time),
        ` ${record.holder} (${record.nation}) ${year}`,
      );
      return item;
    }),
  );
}

function timeCell(row) {
  const cell = el("td", "col-time");
  cell.append(...timeNodes(row));
  return cell;
}

function rowFill(tr, row, lastHeat, withPoints, corrected) {
  const classes = ["row"];
  if (row.heat !== null && row.heat === lastHeat) classes.push("is-new");
  if (corrected) classes.push("is-corrected");
  if (row.rank === null) classes.push("is-out");
  else if (row.rank <= 3) classes.push("is-podium", `rank-${row.rank}`);
  const splits = row.splits ?? [];
  if (splits.length) classes.push("has-splits");
  tr.className = classes.join(" ");
  tr.dataset.bib = String(row.bib);
  tr.dataset.skater = String(row.skater);
  tr.id = `skater-${row.skater}`; // "My skaters" links here

  const skater = el("td", "col-skater");
  skater.append(el("span", "nation", row.nation), " ", el("span", "name", row.name));
  skater.append(...memberNodes(row));
  if (corrected) skater.append(" ", el("span", "corrected-tag", t("Corrected")));
  const heat = el("td", "col-heat");
  heat.append(el("span", "heat-no", row.heat ?? NO_PAIR));
  const lane = laneMarker(row.lane, LANE_TITLES, LANE_SPOKEN);
  if (lane) heat.append(" ", lane);
  const records = el("td", "col-records");
  records.append(...row.records.map((kind) => recordBadge(kind, RECORD_NAMES[kind])));

  const cells = [el("td", "col-rank", row.rank ?? ""), skater, heat, timeCell(row), el("td", "col-behind", row.behind)];
  cells.splice(3, 0, ...sprintCells(row, currentRace));
  if (withPoints) cells.push(el("td", "col-points", row.points ?? ""));
  cells.push(records);
  const toggle = el("td", "col-splits");
  if (splits.length) toggle.append(splitsToggle(row, openSplits.has(row.bib)));
  cells.push(toggle);
  tr.replaceChildren(...cells);
}

function emptyRow(nextHeats) {
  const tr = el("tr", "row-empty");
  const cell = el("td", "", t("No results yet."));
  cell.colSpan = COLUMNS;
  if (nextHeats.length) cell.append(` ${t("Pair %(heat)s is first on the ice.", { heat: nextHeats[0].heat })}`);
  tr.append(cell);
  return tr;
}

function standingsRender(standings, lastHeat, nextHeats, corrected) {
  // FLIP: note where each skater's row is, re-order, then slide every row from its old place to its new one.
  const { byKey: existing, tops: before } = rowsNoted(dom.rows, "bib");
  const withPoints = awardsPoints(standings);
  dom.pointsHead.hidden = !withPoints;
  const rows = standings.map((row) => {
    const tr = existing.get(String(row.bib)) ?? document.createElement("tr");
    rowFill(tr, row, lastHeat, withPoints, corrected.has(row.bib));
    return tr;
  });
  // Each row with its splits under it (closed unless the spectator opened them).
  const lines = standings.flatMap((row, index) =>
    row.splits?.length ? [rows[index], splitsRow(row, openSplits.has(row.bib), COLUMNS)] : [rows[index]],
  );
  dom.rows.replaceChildren(...(lines.length ? lines : [emptyRow(nextHeats)]));
  rowsAnimate(rows, before);
}

function nextHeatsRender(allNext, heats, onIce) {
  // A pair on the ice is in "On the ice", not among those to come.
  const skating = new Set(onIce.map((heat) => heat.heat));
  const nextHeats = allNext.filter((heat) => !skating.has(heat.heat));
  dom.next.replaceChildren(...nextHeats.map((heat) => pairItem(heat, { massStart: isMassStart(currentRace) })));
  dom.nextEmpty.textContent = onIce.length
    ? t("The last pair is on the ice.")
    : heats
      ? t("All pairs have skated.")
      : t("The start list has not been published yet.");
  dom.nextEmpty.hidden = nextHeats.length > 0;
}

// ---------------------------------------------------------------- screen readers

function spoken(row) {
  if ("race_points" in row) return massStartSpoken(row);
  if (row.time === null) {
    const what = OUT_SPOKEN[row.status] ?? row.status;
    return `${row.name} ${what}${row.infraction ? ` (${row.infraction})` : ""}.`;
  }
  const records = row.records.map(recordSpoken);
  return `${row.name} ${row.time}, ${ordinal(row.rank)}${records.length ? `, ${records.join(", ")}` : ""}.`;
}

function announce(snapshot, previous) {
  const parts = [];
  const { change } = snapshot;
  if (change?.sprint) {
    const scored = snapshot.standings.filter((row) => change.bibs.includes(row.bib)).map(spoken);
    parts.push(`${t("Sprint %(sprint)s", { sprint: change.sprint })}: ${scored.join(" ")}`);
  } else if (change?.kind === "correction") {
    const corrected = snapshot.standings.filter((row) => change.bibs.includes(row.bib)).map(spoken);
    const where = change.heat === null ? t("Correction") : t("Correction, pair %(heat)s", { heat: change.heat });
    parts.push(`${where}: ${corrected.length ? corrected.join(" ") : t("result withdrawn.")}`);
  } else if (change?.kind === "results" && change.heat !== null) {
    // A timing system gives each skater's finish as they cross the line: say who, even in the same pair.
    const results = snapshot.standings.filter((row) => change.bibs.includes(row.bib)).map(spoken);
    if (results.length) parts.push(`${t("Pair %(heat)s", { heat: change.heat })}: ${results.join(" ")}`);
  } else if (snapshot.last_heat !== null && snapshot.last_heat !== previous.lastHeat) {
    const results = snapshot.standings.filter((row) => row.heat === snapshot.last_heat).map(spoken);
    if (results.length) parts.push(`${t("Pair %(heat)s", { heat: snapshot.last_heat })}: ${results.join(" ")}`);
  }
  const status = snapshot.race.status;
  if (status !== previous.status && STATUS_SPOKEN[status]) parts.push(STATUS_SPOKEN[status]);
  if (parts.length) dom.announcer.textContent = parts.join(" ");
}

// ---------------------------------------------------------------- splits

// A finisher's row opens to their splits: the button (Enter or Space), or a click anywhere on the row.
dom.rows.addEventListener("click", (event) => {
  const tr = event.target.closest("tr.has-splits");
  if (!tr || event.target.closest("a")) return;
  const open = splitsToggleRow(tr);
  if (open === null) return;
  if (open) openSplits.add(Number(tr.dataset.bib));
  else openSplits.delete(Number(tr.dataset.bib));
});

// ---------------------------------------------------------------- start

// The time of the standings the page came with: what an offline board (the service worker's copy) is from.
updatedShow(board, board.dataset.updatedAt);
boardFollow(board, {
  version: shown.version,
  type: "snapshot",
  onSnapshot: render,
  notFound: {
    label: t("Race not found"),
    alert: t("Race not found: it may have been removed. The results below are the last ones received."),
  },
});
