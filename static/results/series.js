import { boardFollow, ordinal, updatedShow } from "./board-page.js";
import { t } from "./i18n.js";
import { rowsAnimate, rowsNoted } from "./row-motion.js";
import { el } from "./standings-view.js";

// Keeps a server-rendered series' World Cup standings live (series_standings.html). Its socket sends the standings
// on connect and after every heat of a race counting for them; each newer version is rendered into the same markup
// the template produces, with the banner results/web/series.py writes while races count provisionally.

const board = document.getElementById("board");
const ref = (name) => board.querySelector(`[data-ref="${name}"]`);
const dom = { head: ref("head"), rows: ref("rows"), provisional: ref("provisional"), announcer: ref("announcer") };

function bannerRender(provisional) {
  const titles = provisional.map((race) => race.title).join(", ");
  dom.provisional.textContent = titles ? t("Provisional, with %(races)s", { races: titles }) : "";
  dom.provisional.hidden = !titles;
}

function headRender(rounds) {
  const cells = [...dom.head.children];
  const heads = rounds.map((round) => {
    const th = el("th", "col-dist");
    th.scope = "col";
    th.dataset.competition = String(round.competition);
    const link = el("a", "col-dist__name", round.name);
    link.href = `?after=${round.competition}`;
    link.title = t("Standings after %(name)s", { name: round.name });
    th.append(link);
    return th;
  });
  dom.head.replaceChildren(...cells.slice(0, 2), ...heads, ...cells.slice(-1));
}

function rowFill(tr, row) {
  tr.className = row.rank <= 3 ? `row is-podium rank-${row.rank}` : "row";
  tr.dataset.skater = String(row.skater);
  const skater = el("td", "col-skater");
  skater.append(el("span", "nation", row.nation), " ", el("span", "name", row.name));
  tr.replaceChildren(
    el("td", "col-rank", row.rank),
    skater,
    ...row.rounds.map((points) => el("td", "col-dist", points ?? "")),
    el("td", "col-total", row.total),
  );
}

// Re-renders the rows; returns the rows whose total this version changed, for screen readers.
function rowsRender(standings, columns) {
  const { byKey: existing, tops: before } = rowsNoted(dom.rows, "skater");
  const totals = new Map([...existing].map(([key, tr]) => [key, tr.querySelector(".col-total")?.textContent]));
  const changed = standings.filter((row) => {
    const key = String(row.skater);
    return totals.has(key) && totals.get(key) !== String(row.total);
  });
  const rows = standings.map((row) => {
    const tr = existing.get(String(row.skater)) ?? document.createElement("tr");
    rowFill(tr, row);
    return tr;
  });
  if (!rows.length) {
    const empty = el("tr", "row-empty");
    const cell = el("td", "", t("No points yet."));
    cell.colSpan = columns;
    empty.append(cell);
    dom.rows.replaceChildren(empty);
  } else {
    dom.rows.replaceChildren(...rows);
  }
  rowsAnimate(rows, before);
  return changed;
}

function render(snapshot) {
  bannerRender(snapshot.provisional);
  headRender(snapshot.rounds);
  const changed = rowsRender(snapshot.standings, snapshot.rounds.length + 3);
  const said = changed.map((row) =>
    t("%(name)s %(place)s with %(total)s points", { name: row.name, place: ordinal(row.rank), total: row.total }),
  );
  if (said.length) dom.announcer.textContent = said.join(". ");
  updatedShow(board, snapshot.updated_at);
  // Last, so whoever waits on data-version finds the page already showing it.
  board.dataset.version = String(snapshot.version);
}

boardFollow(board, {
  version: Number(board.dataset.version),
  type: "series_standings",
  onSnapshot: render,
  notFound: {
    label: t("Standings not found"),
    alert: t("Standings not found: they may have been removed. The standings below are the last ones received."),
  },
});
