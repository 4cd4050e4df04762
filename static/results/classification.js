import { boardFollow, headShow, ordinal, statusLabel, updatedShow } from "./board-page.js";
import { t } from "./i18n.js";
import { rowsAnimate, rowsNoted } from "./row-motion.js";
import { el } from "./standings-view.js";

// Keeps a server-rendered classification (sprint, allround) live. Its socket sends the classification document on
// connect and after every heat of any of its distances; each newer version is rendered into the same markup the
// template produces (classification.html, with the head worked out as results/web/classifications.py does).

const board = document.getElementById("board");
const ref = (name) => board.querySelector(`[data-ref="${name}"]`);
const dom = {
  rule: ref("rule"),
  head: ref("head"),
  behindUnit: ref("behind-unit"),
  rows: ref("rows"),
  announcer: ref("announcer"),
};

const OVER = ["UNOFFICIAL", "OFFICIAL", "PROTESTED"];
// The words results/web/classifications.py gives the template.
const RULE_NEXT = (distance) =>
  t("Points: seconds per 500 m on each distance · Behind: seconds on the next distance, the %(distance)s m", {
    distance,
  });
const RULE_LAST = t("Points: seconds per 500 m on each distance · Lowest total wins · Behind: in points");

// What each skater's row showed, to mark the rows a new version changed: skater id -> distances as text.
let shownRows = rowsBySkater(null);

// ---------------------------------------------------------------- the head

// The distance being skated (the last one started, else the first), how many are over, whether all are official.
function progressOf(distances) {
  const started = distances.filter((d) => d.status !== "START_LIST");
  return {
    current: started.length ? started[started.length - 1] : (distances[0] ?? null),
    over: distances.filter((d) => OVER.includes(d.status)).length,
    final: distances.length > 0 && distances.every((d) => d.status === "OFFICIAL"),
  };
}

function headRender(classification, progress, nextDistance) {
  const count = classification.distances.length;
  headShow(board, {
    title: classification.name,
    competition: classification.competition.name,
    status: progress.current?.status ?? "START_LIST",
    progressText: progress.current
      ? t("Distance %(position)s of %(total)s · %(distance)s m", {
          position: progress.current.position,
          total: count,
          distance: progress.current.distance,
        })
      : t("No distances yet"),
    done: progress.over,
    of: count,
  });
  dom.rule.textContent = nextDistance ? RULE_NEXT(nextDistance.distance) : RULE_LAST;
  dom.behindUnit.textContent = nextDistance ? t("s, %(distance)s m", { distance: nextDistance.distance }) : t("points");
}

function distanceHeads(distances, currentPosition) {
  return distances.map((d) => {
    const th = el("th", d.position === currentPosition ? "col-dist is-current" : "col-dist");
    th.scope = "col";
    th.dataset.position = String(d.position);
    const link = el("a", "col-dist__name", `${d.distance}\u00a0m`);
    link.href = `/races/${d.race}/`;
    link.title = d.title;
    th.append(link, " ", el("span", `col-dist__status dist-status--${d.status}`, statusLabel(d.status)));
    return th;
  });
}

function headRowRender(distances, currentPosition) {
  const cells = [...dom.head.children];
  const fixedBefore = cells.slice(0, 2);
  const fixedAfter = cells.slice(-2);
  dom.head.replaceChildren(...fixedBefore, ...distanceHeads(distances, currentPosition), ...fixedAfter);
}

// ---------------------------------------------------------------- the rows

function rowsBySkater(standings) {
  const shown = new Map();
  if (standings === null) {
    for (const tr of dom.rows.querySelectorAll("tr[data-skater]")) {
      const cells = [...tr.querySelectorAll("td.col-dist")].map((td) =>
        td.querySelector(".dist-waiting") ? null : td.textContent.trim() || null,
      );
      shown.set(tr.dataset.skater, JSON.stringify(cells));
    }
    return shown;
  }
  for (const row of standings) shown.set(String(row.skater), JSON.stringify(row.distances.map(entryText)));
  return shown;
}

// The text a distance cell shows, as rowsBySkater reads it back from the page.
function entryText(entry) {
  if (!entry) return null;
  return entry.time ? `${entry.time} ${entry.points}` : entry.status;
}

function distanceCell(entry, position, row, currentPosition) {
  const td = el("td", position === currentPosition ? "col-dist is-current" : "col-dist");
  if (entry && entry.time) {
    td.append(el("span", "dist-time", entry.time), " ", el("span", "dist-points", entry.points));
  } else if (entry) {
    td.append(el("span", "out-status", entry.status));
  } else if (row.waiting && position === currentPosition) {
    td.append(el("span", "dist-waiting", t("to skate")));
  }
  return td;
}

function rowFill(tr, row, currentPosition, isNew) {
  const classes = ["row"];
  if (row.out) classes.push("is-out");
  else if (row.waiting) classes.push("is-waiting");
  else if (row.rank !== null && row.rank <= 3) classes.push("is-podium", `rank-${row.rank}`);
  if (isNew) classes.push("is-new");
  tr.className = classes.join(" ");
  tr.dataset.skater = String(row.skater);

  const skater = el("td", "col-skater");
  skater.append(el("span", "nation", row.nation), " ", el("span", "name", row.name));
  tr.replaceChildren(
    el("td", "col-rank", row.rank ?? ""),
    skater,
    ...row.distances.map((entry, index) => distanceCell(entry, index + 1, row, currentPosition)),
    el("td", "col-total", row.total ?? ""),
    el("td", "col-behind", row.behind),
  );
}

function emptyRow(columns) {
  const tr = el("tr", "row-empty");
  const cell = el("td", "", t("No skaters yet: the standings start with the first distance's start list."));
  cell.colSpan = columns;
  tr.append(cell);
  return tr;
}

// Re-renders the rows and returns the skaters (ids as text) whose results this version changed.
function standingsRender(standings, distances, currentPosition) {
  // FLIP: note where each skater's row is, re-order, then slide every row from its old place to its new one.
  const { byKey: existing, tops: before } = rowsNoted(dom.rows, "skater");
  const now = rowsBySkater(standings);
  const changed = new Set([...now.keys()].filter((key) => shownRows.has(key) && shownRows.get(key) !== now.get(key)));
  const rows = standings.map((row) => {
    const key = String(row.skater);
    const tr = existing.get(key) ?? document.createElement("tr");
    rowFill(tr, row, currentPosition, changed.has(key));
    return tr;
  });
  shownRows = now;
  dom.rows.replaceChildren(...(rows.length ? rows : [emptyRow(distances.length + 4)]));
  rowsAnimate(rows, before);
  return changed;
}

// ---------------------------------------------------------------- screen readers

function announce(standings, changedSkaters) {
  const parts = standings
    .filter((row) => changedSkaters.has(String(row.skater)))
    .map((row) => {
      if (row.out) return t("%(name)s is out of the classification.", { name: row.name });
      if (row.rank === null) {
        return row.total === null
          ? t("%(name)s: no points so far.", { name: row.name })
          : t("%(name)s: %(total)s points so far.", { name: row.name, total: row.total });
      }
      const said = t("%(name)s %(place)s with %(total)s points", {
        name: row.name,
        place: ordinal(row.rank),
        total: row.total,
      });
      return `${said}${row.behind ? `, ${row.behind}` : ""}.`;
    });
  if (parts.length) dom.announcer.textContent = parts.join(" ");
}

// ---------------------------------------------------------------- start

function render(snapshot) {
  const { classification } = snapshot;
  const progress = progressOf(classification.distances);
  const currentPosition = progress.current?.position ?? null;
  headRender(classification, progress, snapshot.next_distance);
  headRowRender(classification.distances, currentPosition);
  const changed = standingsRender(snapshot.standings, classification.distances, currentPosition);
  announce(snapshot.standings, changed);
  updatedShow(board, snapshot.updated_at);
  board.dataset.status = progress.final ? "OFFICIAL" : "LIVE";
  board.dataset.current = currentPosition ?? "";
  // Last, so whoever waits on data-version finds the page already showing it.
  board.dataset.version = String(snapshot.version);
}

boardFollow(board, {
  version: Number(board.dataset.version),
  type: "classification",
  onSnapshot: render,
  notFound: {
    label: t("Classification not found"),
    alert: t("Classification not found: it may have been removed. The standings below are the last ones received."),
  },
});
