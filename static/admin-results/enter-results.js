// The results entry screen works without this file; it only smooths the keyboard path of an official.
// - Enter on a select saves the pair, as Enter in the time field already does (browsers do not submit from a
//   select).
// - The cursor starts in the field the server marked autofocus, also after a save: browsers skip autofocus when
//   the URL has a fragment (#heat-8, where the page lands) and focus the fragment's target instead.
// - A pair is sent once: a second Enter while the page reloads does nothing.

const heatForms = document.querySelectorAll("form.heat");
const autofocusField = document.querySelector("form.heat [autofocus]");

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

// Each pair's form is focusable (tabindex="-1"), so landing on #heat-8 focuses that form (Chrome may do so more
// than once while the page settles); the cursor then goes on into the field the server marked autofocus.
function focusAutofocusField(event) {
  if (event.target === event.currentTarget) {
    autofocusField.focus();
  }
}

if (autofocusField) {
  autofocusField.form.addEventListener("focus", focusAutofocusField);
}
