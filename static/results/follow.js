import { t } from "./i18n.js";

// Following skaters, without an account: a star next to every skater the page shows (standings rows, the pairs to
// come, the pairs on the ice, a classification's rows: any element with data-skater="<id>" and a .name inside),
// kept in this browser (localStorage), and every followed skater highlighted wherever they appear. Boards redraw
// their rows from each snapshot; a MutationObserver puts the stars back on what they draw.

const STORE = "skating-live.followed";
const STAR_ON = "★";
const STAR_OFF = "☆";

// { "<skater id>": { name, nation } }
export function followedSkaters() {
  try {
    const stored = JSON.parse(localStorage.getItem(STORE) ?? "{}");
    return stored && typeof stored === "object" ? stored : {};
  } catch {
    return {};
  }
}

function followedSave(followed) {
  localStorage.setItem(STORE, JSON.stringify(followed));
  document.dispatchEvent(new CustomEvent("skating:followed", { detail: followed }));
}

export function isFollowed(skaterId) {
  return String(skaterId) in followedSkaters();
}

function who(element) {
  const name = element.querySelector(".name")?.textContent.trim() ?? "";
  const nation = element.querySelector(".nation")?.textContent.trim() ?? "";
  return { name, nation };
}

function starShow(star, followed, name) {
  star.textContent = followed ? STAR_ON : STAR_OFF;
  star.setAttribute("aria-pressed", String(followed));
  const label = followed ? t("Stop following %(name)s", { name }) : t("Follow %(name)s", { name });
  star.title = label;
  star.setAttribute("aria-label", label);
}

function elementShow(element, followed) {
  element.classList.toggle("is-followed", followed);
  const star = element.querySelector(":scope .follow-star");
  if (star) starShow(star, followed, who(element).name);
}

function toggle(element) {
  const id = element.dataset.skater;
  const followed = followedSkaters();
  if (id in followed) delete followed[id];
  else followed[id] = who(element);
  followedSave(followed);
  for (const same of document.querySelectorAll(`[data-skater="${CSS.escape(id)}"]`)) elementShow(same, id in followed);
}

function decorate(element) {
  const id = element.dataset.skater;
  if (!id || !/^\d+$/.test(id)) return;
  let star = element.querySelector(":scope .follow-star");
  if (!star) {
    const name = element.querySelector(".name");
    if (!name) return;
    star = document.createElement("button");
    star.type = "button";
    star.className = "follow-star";
    star.addEventListener("click", (event) => {
      event.preventDefault();
      event.stopPropagation();
      toggle(element);
    });
    name.before(star, " ");
  }
  elementShow(element, isFollowed(id));
}

export function starsDecorate(root = document) {
  if (root instanceof Element && root.matches("[data-skater]")) decorate(root);
  for (const element of root.querySelectorAll("[data-skater]")) decorate(element);
}

function starsFollow() {
  starsDecorate();
  new MutationObserver((changes) => {
    for (const change of changes) {
      for (const node of change.addedNodes) if (node instanceof Element) starsDecorate(node);
    }
  }).observe(document.body, { childList: true, subtree: true });
  // Another tab followed someone: the same stars here.
  addEventListener("storage", (event) => {
    if (event.key === STORE) starsDecorate();
  });
}

starsFollow();
