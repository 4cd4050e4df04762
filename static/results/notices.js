import { followedSkaters } from "./follow.js";
import { pageLanguage, t } from "./i18n.js";
import { el } from "./standings-view.js";

// What the board tells about the skaters this browser follows, as the race goes on: on deck (their pair is next or
// next but one), finished (time, provisional rank, records), final (the race is official) and corrected (their
// result changed after they were told). Shown in the page, and as a system notification too when the spectator
// allowed them. The same four kinds as the pushes a subscription gets with the page closed (docs/feed.md).

const SHOWN_MS = 10_000;
const CLOCK = { hour: "2-digit", minute: "2-digit" };
const told = new Map(); // "<race>:<skater>:<kind>" -> what was told: a pair, a result
let latest = null;

// Whether `text` is news for this key (nothing told yet, or something else), remembering it either way.
function news(key, text) {
  const before = told.get(key);
  told.set(key, text);
  return before !== text;
}

function resultText(row) {
  if (row.time) return row.time;
  return [row.status, row.infraction].filter(Boolean).join(" ");
}

const MEDALS = { gold: () => t("gold"), silver: () => t("silver"), bronze: () => t("bronze") };

function onDeck(race, heat, skater) {
  const when = heat.eta ? ` ≈ ${new Date(heat.eta).toLocaleTimeString(pageLanguage(), CLOCK)}` : "";
  return {
    kind: "on_deck",
    skater: skater.skater,
    title: t("%(name)s skates soon", { name: skater.name }),
    body: `${t("Pair %(heat)s", { heat: heat.heat })}${when} · ${race.title}`,
  };
}

// Finished: the time in the title, the rank and records below; corrected: the new result whole, below.
function finished(race, row, detail, corrected) {
  const title = corrected ? t("%(name)s: corrected", { name: row.name }) : `${row.name} ${resultText(row)}`;
  const said = corrected ? [resultText(row), ...detail] : detail;
  return { kind: corrected ? "correction" : "finished", skater: row.skater, title, body: [...said, race.title].join(" · ") };
}

function final(race, row) {
  const medal = row.medal ? ` · ${MEDALS[row.medal]?.() ?? row.medal}` : "";
  return {
    kind: "final",
    skater: row.skater,
    title: t("%(name)s: final", { name: row.name }),
    body: `${t("Rank %(rank)s", { rank: row.rank })}${medal} · ${resultText(row)} · ${race.title}`,
  };
}

// The notices `snapshot` brings for the followed skaters (and what they were is remembered).
function noticesOf(snapshot) {
  const followed = followedSkaters();
  const race = snapshot.race;
  const key = (skater, kind) => `${race.id}:${skater}:${kind}`;
  const notices = [];
  const onIce = new Set((snapshot.on_ice ?? []).map((heat) => heat.heat));
  const coming = snapshot.next_heats.filter((heat) => !onIce.has(heat.heat)).slice(0, 2);
  for (const heat of coming) {
    for (const skater of heat.skaters) {
      if (String(skater.skater) in followed && news(key(skater.skater, "on_deck"), String(heat.heat))) {
        notices.push(onDeck(race, heat, skater));
      }
    }
  }
  for (const row of snapshot.standings) {
    if (!(String(row.skater) in followed) || !row.status) continue;
    const rank = row.rank ? t("provisional rank %(rank)s", { rank: row.rank }) : "";
    const detail = [rank, ...(row.records ?? [])].filter(Boolean);
    // A provisional rank that moves because others skated is no news: only the result itself is.
    const toldBefore = told.has(key(row.skater, "result"));
    if (news(key(row.skater, "result"), resultText(row))) notices.push(finished(race, row, detail, toldBefore));
    const standing = `${row.rank} ${row.medal ?? ""} ${resultText(row)}`;
    if (race.status === "OFFICIAL" && row.rank && news(key(row.skater, "final"), standing)) {
      notices.push(final(race, row));
    }
  }
  return notices;
}

function shelf() {
  let node = document.getElementById("notices");
  if (!node) {
    node = el("div", "notices");
    node.id = "notices";
    node.setAttribute("role", "status");
    node.setAttribute("aria-live", "polite");
    document.body.append(node);
  }
  return node;
}

function noticeShow(notice) {
  const item = el("button", `notice notice--${notice.kind}`);
  item.type = "button";
  item.dataset.skater = String(notice.skater);
  item.append(el("strong", "notice__title", notice.title), el("span", "notice__body", notice.body));
  item.addEventListener("click", () => {
    document.querySelector(`tr.row[data-skater="${notice.skater}"]`)?.scrollIntoView({ block: "center" });
    item.remove();
  });
  shelf().append(item);
  setTimeout(() => item.remove(), SHOWN_MS);
  if (globalThis.Notification?.permission === "granted" && document.hidden) {
    new Notification(notice.title, { body: notice.body, tag: `${notice.kind}-${notice.skater}` });
  }
}

// What the page showed when it was loaded (the board's snapshot, and after a new star, the latest) is known: only
// what comes after is told.
function primed(snapshot) {
  latest = snapshot;
  if (snapshot) noticesOf(snapshot);
}

primed(JSON.parse(document.getElementById("board-snapshot")?.textContent ?? "null"));
document.addEventListener("skating:followed", () => primed(latest));
document.addEventListener("skating:snapshot", (event) => {
  if (event.detail?.type !== "snapshot") return;
  latest = event.detail;
  noticesOf(latest).forEach(noticeShow);
});
