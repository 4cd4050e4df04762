import { etaNode } from "./eta-view.js";
import { memberNodes } from "./formats-view.js";
import { t } from "./i18n.js";
import { el, laneMarker } from "./standings-view.js";

// A pair to come as the boards draw it ("On the ice next", the start list): its number (a mass start's field has
// none) and expected start, then each skater with lane, name and nation, marked with their id so that follow.js
// puts a star next to them.

export const LANE_TITLES = { I: t("Inner lane, white armband"), O: t("Outer lane, red armband") };
export const LANE_SPOKEN = { I: ` ${t("inner lane")}`, O: ` ${t("outer lane")}` };

export function pairItem(heat, { massStart = false, className = "next-heat" } = {}) {
  const item = el("li", className);
  const skaters = el("ul", "next-heat__skaters");
  for (const skater of heat.skaters) {
    const line = el("li", "next-skater");
    line.dataset.skater = String(skater.skater);
    const lane = laneMarker(skater.lane, LANE_TITLES, LANE_SPOKEN);
    if (lane) line.append(lane, " ");
    line.append(el("span", "name", skater.name), " ", el("span", "nation", skater.nation));
    line.append(...memberNodes(skater));
    skaters.append(line);
  }
  const title = el("h3", "next-heat__title", massStart ? t("Mass start") : t("Pair %(heat)s", { heat: heat.heat }));
  if (heat.eta) title.append(" ", etaNode(heat.eta));
  item.append(title, skaters);
  return item;
}
