// Skating Live graphics for CasparCG and SPX Graphics (README.txt): what the three templates share.
//
// - The fields, as SPXGCTemplateDefinition names them: f0 the results server, f1 the race id, f2 the theme, f3 the
//   language. Their defaults are the definition's values; update(data) sets them: SPX sends a JSON string
//   {"f0": ..., "f1": ...}, CasparCG its template data as XML (<templateData><componentData id="f0"><data
//   id="text" value="..."/></componentData>...</templateData>) or JSON.
// - The global functions the servers call: update(data), play() (follow the race and wipe in), stop() (wipe out),
//   next() (the template's next step, if it has one).
// - Following the race over its socket (js/feed.js, the pages' own client), only once played; each snapshot is
//   drawn by the template's render(snapshot, previous), which says whether there is something to show and whether
//   it is new (then it wipes in again).
// - The pieces of a skater's plate, as the overlays draw them (static/embed/plate-cells.js on the server).
//
// A classic script with nothing newer than Chromium 71 (CasparCG 2.3's HTML producer): it also runs from file://.
/* global SkatingFeed, SkatingView, SKATING_LABELS */

var SkatingGraphics = (function () {
  "use strict";

  var FIELDS = { f0: "server", f1: "race", f2: "theme", f3: "lang" };
  var THEMES = ["transparent", "chroma"];
  var RACE_ID = /^[0-9]{1,9}$/;
  var LEAVE_MS = 450; // the wipe out (css/graphics.css)
  var LANE_ORDER = { I: 0, O: 1 };

  var root = document.getElementById("board");
  var panel = root.querySelector('[data-ref="panel"]');
  var settings = { server: "", race: "", theme: "transparent", lang: "en" };
  var template = { render: function () { return { shown: false, fresh: false }; } };
  var snapshot = null;
  var playing = false;
  var following = null; // { key, stop }
  var leaveTimer = null;

  function ref(name) {
    return root.querySelector('[data-ref="' + name + '"]');
  }

  function labels() {
    return SKATING_LABELS[settings.lang] || SKATING_LABELS.en;
  }

  function format(text, values) {
    return text.replace(/\{(\w+)\}/g, function (whole, key) {
      return key in values ? String(values[key]) : whole;
    });
  }

  // ---- the fields

  function definitionValues() {
    var definition = window.SPXGCTemplateDefinition || {};
    var values = {};
    (definition.DataFields || []).forEach(function (field) {
      if (field.field) values[field.field] = field.value;
    });
    return values;
  }

  function xmlValues(text) {
    var xml = new DOMParser().parseFromString(text, "text/xml");
    var values = {};
    var components = xml.getElementsByTagName("componentData");
    for (var index = 0; index < components.length; index += 1) {
      var data = components[index].getElementsByTagName("data")[0];
      if (data) values[components[index].getAttribute("id")] = data.getAttribute("value") || "";
    }
    return values;
  }

  function valuesRead(data) {
    if (data && typeof data === "object") return data;
    var text = String(data === undefined || data === null ? "" : data).trim();
    if (!text) return {};
    if (text.charAt(0) === "<") return xmlValues(text);
    try {
      return JSON.parse(text);
    } catch (error) {
      console.warn("Skating Live graphics: template data is neither JSON nor XML", error);
      return {};
    }
  }

  function settingsApply(values) {
    Object.keys(FIELDS).forEach(function (field) {
      var value = values[field];
      if (value !== undefined && value !== null) settings[FIELDS[field]] = String(value).trim();
    });
    settings.theme = THEMES.indexOf(settings.theme) >= 0 ? settings.theme : "transparent";
    settings.lang = SKATING_LABELS[settings.lang] ? settings.lang : "en";
    document.documentElement.className = "theme-" + settings.theme;
    document.documentElement.lang = settings.lang;
  }

  // "https://results.example.org/" -> "wss://results.example.org"; a bare host name is taken as https.
  function socketOrigin(server) {
    var base = server.replace(/\/+$/, "");
    if (!/^https?:\/\//i.test(base)) base = "https://" + base;
    return base.replace(/^http/i, "ws");
  }

  // ---- following the race, once played

  function follow() {
    var key = settings.server + " " + settings.race;
    if (following && following.key === key) return;
    if (following) following.stop();
    following = null;
    snapshot = null;
    draw(null, false);
    if (!settings.server || !RACE_ID.test(settings.race)) {
      root.dataset.connection = "unset"; // nothing to follow until the fields say which race where
      return;
    }
    var stop = SkatingFeed.followRace({
      path: "/ws/races/" + settings.race + "/",
      origin: socketOrigin(settings.server),
      onSnapshot: function (next) {
        var previous = snapshot;
        snapshot = next;
        draw(previous, false);
        root.dataset.version = String(next.version); // last: whoever waits on it finds it drawn
      },
      onState: function (state, detail) {
        root.dataset.connection = detail === "not-found" ? "not-found" : state;
      },
    });
    following = { key: key, stop: stop };
  }

  // ---- drawing, wiping in and out

  function enter() {
    window.clearTimeout(leaveTimer);
    panel.classList.remove("is-leaving", "is-entering");
    panel.hidden = false;
    void panel.offsetWidth; // restart the animation
    panel.classList.add("is-entering");
  }

  function leave() {
    if (panel.hidden) return;
    panel.classList.remove("is-entering");
    panel.classList.add("is-leaving");
    window.clearTimeout(leaveTimer);
    leaveTimer = window.setTimeout(function () {
      panel.hidden = true;
      panel.classList.remove("is-leaving");
    }, LEAVE_MS);
  }

  function draw(previous, fresh) {
    var drawn = snapshot ? template.render(snapshot, previous, labels()) : { shown: false, fresh: false };
    if (snapshot) {
      ref("title").textContent = snapshot.race.title;
      var status = ref("status");
      if (status) {
        status.className = "pill pill--" + snapshot.race.status;
        status.textContent = labels()[snapshot.race.status] || snapshot.race.status;
      }
    }
    root.dataset.shown = drawn.shown ? "yes" : "no";
    if (!playing) return;
    if (!drawn.shown) {
      window.clearTimeout(leaveTimer);
      panel.hidden = true;
    } else if (panel.hidden || panel.classList.contains("is-leaving") || drawn.fresh || fresh) {
      enter();
    }
  }

  // ---- the functions CasparCG and SPX call

  function update(data) {
    settingsApply(valuesRead(data));
    if (playing) follow();
    draw(null, false);
  }

  function play() {
    playing = true;
    root.dataset.state = "playing";
    follow();
    draw(null, true);
  }

  function stop() {
    playing = false;
    root.dataset.state = "stopped";
    leave();
  }

  function next() {
    if (!template.next) return; // a one-step graphic: nothing to advance
    template.next(snapshot);
    draw(null, true);
  }

  window.update = update;
  window.play = play;
  window.stop = stop;
  window.next = next;

  // ---- the pieces of a plate (as static/embed/plate-cells.js draws them for the overlays)

  function span(className, children) {
    return fill(SkatingView.el("span", className), children);
  }

  // A node's children replaced (replaceChildren is newer than Chromium 71).
  function fill(node, children) {
    while (node.firstChild) node.removeChild(node.firstChild);
    children.forEach(function (child) {
      node.append(child);
    });
    return node;
  }

  function lane(value) {
    return SkatingView.laneMarker(value, { I: labels().inner, O: labels().outer }) || "";
  }

  function rank(row) {
    if (row.medal) return SkatingView.el("span", "medal medal--" + row.medal, row.rank);
    return row.rank === null ? "" : String(row.rank);
  }

  // A mass start ranks on its points total: it stands where the time goes.
  function result(row) {
    if ("race_points" in row && row.race_points !== null) {
      return [String(row.race_points), SkatingView.el("span", "unit", " " + labels().points)];
    }
    return SkatingView.timeNodes(row);
  }

  function name(row) {
    var node = span("c-name", [row.name]);
    if (row.members && row.members.length) node.append(" ", SkatingView.el("span", "members", row.members.join(" · ")));
    return node;
  }

  // byLane: as a pair is announced (lane first, the rank after the time); else as in the standings (rank first).
  function plate(row, byLane) {
    var cells = [
      byLane ? span("c-lane", [lane(row.lane)]) : span("c-rank", [rank(row)]),
      span("c-nation", [row.nation]),
      name(row),
      span("c-records", row.records.map(SkatingView.recordBadge)),
      span("c-time", result(row)),
    ];
    if (byLane) cells.push(span("c-rank", [rank(row)]));
    cells.push(span("c-behind", [row.behind]));
    return cells;
  }

  function pairLabel(heat) {
    return format(labels().pair, { heat: heat });
  }

  function byLane(rows) {
    return rows.slice().sort(function (a, b) {
      return (a.lane in LANE_ORDER ? LANE_ORDER[a.lane] : 2) - (b.lane in LANE_ORDER ? LANE_ORDER[b.lane] : 2);
    });
  }

  function isMassStart(race) {
    return race.format === "mass_start";
  }

  settingsApply(definitionValues());
  root.dataset.state = "stopped";
  root.dataset.connection = "unset";

  return {
    // The page's template: { render(snapshot, previous, labels) -> { shown, fresh }, next(snapshot) (optional) }.
    template: function (own) {
      template = own;
    },
    ref: ref,
    el: SkatingView.el,
    fill: fill,
    span: span,
    lane: lane,
    plate: plate,
    pairLabel: pairLabel,
    byLane: byLane,
    isMassStart: isMassStart,
  };
})();
