// The results entry screen works without this file; it only smooths the keyboard path of an official.
// - Enter on a select saves the pair, as Enter in a text field already does (browsers do not submit from a
//   select).
// - The cursor starts in the field the server marked autofocus, also after a save or an error: browsers skip
//   autofocus when the URL has a fragment (#heat-8, where the page lands) and focus the fragment's target instead.
// - Alt+↑ / Alt+↓ go to the previous / next pair (its first time field), to correct a pair from the keyboard.
// - Next to each time field, the time as the server will read it, as it is typed; why not, if it cannot be read;
//   and a warning (not a refusal) when it is outside the usual range for the distance (results/rules/plausibility.py,
//   passed in data-plausible-* attributes), or when a DQ has no infraction code yet (data-dq-warning).
// - A pair is sent once: a second Enter while the page reloads does nothing.

import { formatTyped, parseTime } from "./times.js";

const entry = document.querySelector(".entry");
const heatForms = [...document.querySelectorAll("form.heat")];
const focusTargets = document.querySelectorAll("form.heat, #race-status-panel, form.reskate");
const timeFields = document.querySelectorAll("input.result-time");
const plausible = entry?.dataset.plausibleWarning
  ? {
      min: Number(entry.dataset.plausibleMinMs),
      max: Number(entry.dataset.plausibleMaxMs),
      warning: entry.dataset.plausibleWarning,
    }
  : null;
const dqWarning = entry?.dataset.dqWarning ?? "";

function submitOnEnter(event) {
  if (event.key !== "Enter" || event.target.tagName !== "SELECT" || event.altKey) {
    return;
  }
  event.preventDefault();
  event.target.form.requestSubmit();
}

function sendOnce(event) {
  const form = event.currentTarget;
  if (form.getAttribute("aria-busy") === "true") {
    event.preventDefault();
    return;
  }
  form.setAttribute("aria-busy", "true");
}

for (const form of heatForms) {
  form.addEventListener("keydown", submitOnEnter);
  form.addEventListener("submit", sendOnce);
}

// --- where the cursor goes ---------------------------------------------------------------------------------------

function firstField(container) {
  return (
    container.querySelector("[autofocus]:not(:disabled)") ??
    container.querySelector("input:not([type=hidden]):not(:disabled), select:not(:disabled)")
  );
}

// Pair cards (and the status and re-skate panels) are focusable (tabindex="-1"), so landing on #heat-8, or
// following a pair link from the strip, focuses the card (Chrome may do so more than once while the page
// settles); the cursor then goes on into its field marked autofocus, or its first field.
function focusIntoCard(event) {
  if (event.target === event.currentTarget) {
    firstField(event.currentTarget)?.focus();
  }
}

for (const target of focusTargets) {
  target.addEventListener("focus", focusIntoCard);
}

function goToPair(event) {
  if (!event.altKey || (event.key !== "ArrowUp" && event.key !== "ArrowDown")) {
    return;
  }
  const current = heatForms.indexOf(document.activeElement?.closest("form.heat"));
  let next;
  if (current === -1) {
    next = event.key === "ArrowDown" ? 0 : heatForms.length - 1;
  } else {
    next = current + (event.key === "ArrowDown" ? 1 : -1);
  }
  const form = heatForms[next];
  if (!form) {
    return;
  }
  event.preventDefault();
  form.scrollIntoView({ block: "center" });
  const field = firstField(form);
  field?.focus();
  field?.select?.();
}

document.addEventListener("keydown", goToPair);

// --- the time as it is typed -------------------------------------------------------------------------------------

function selected(field, name) {
  return field.closest("tr")?.querySelector(`select.result-${name}`)?.value ?? "";
}

// What to show for a time field: { preview, state: "ok" | "warning" | "error", message }.
function reading(field) {
  const text = field.value.trim();
  if (!text) {
    return { preview: "", state: "", message: "" };
  }
  const parsed = parseTime(text);
  if (parsed.error) {
    return { preview: "not a time", state: "error", message: parsed.error };
  }
  const shown = formatTyped(parsed.ms);
  const implausible = plausible && (parsed.ms < plausible.min || parsed.ms > plausible.max);
  if (implausible && (selected(field, "status") || "OK") === "OK") {
    return { preview: shown, state: "warning", message: plausible.warning.replace("{time}", shown) };
  }
  return { preview: shown, state: "ok", message: "" };
}

// The row's hint: why its time is not read or looks wrong, else a DQ still without its infraction code.
function hintOf(field, time) {
  if (time.message) {
    return time;
  }
  if (dqWarning && selected(field, "status") === "DQ" && !selected(field, "infraction")) {
    return { state: "warning", message: dqWarning };
  }
  return { state: "", message: "" };
}

function showReading(field, { time = true } = {}) {
  const preview = document.getElementById(`${field.id}_preview`);
  const hint = document.getElementById(`${field.id}_hint`);
  const read = time ? reading(field) : { preview: "", state: "", message: "" };
  if (preview && time) {
    preview.textContent = read.preview;
    preview.dataset.state = read.state;
    field.dataset.reading = read.state;
  }
  if (hint) {
    const { state, message } = hintOf(field, read);
    hint.textContent = message;
    hint.dataset.state = state;
    hint.closest("tr").hidden = !message;
  }
}

// A saved time is shown as it was typed: only what the official changes gets a reading.
function onTimeInput(event) {
  showReading(event.target);
}

function onResultChange(event) {
  const field = event.target.closest("tr")?.querySelector("input.result-time");
  if (field) {
    showReading(field, { time: field.value !== field.defaultValue });
  }
}

for (const field of timeFields) {
  field.addEventListener("input", onTimeInput);
  for (const name of ["status", "infraction"]) {
    field.closest("tr")?.querySelector(`select.result-${name}`)?.addEventListener("change", onResultChange);
  }
}

// Handlers are attached: a test (or anything typing fast) can start now. Autofocus placed the cursor earlier, while
// the page was parsed, before this module ran.
document.documentElement.dataset.entryReady = "true";
