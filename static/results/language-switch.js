// The header's language switch (templates/base.html): Django's set_language keeps the choice and brings the
// spectator back to the same page in that language. A language picked with the mouse or a finger is sent at once;
// one picked with the arrow keys (which change a closed select at every press on some systems) when Enter is pressed
// or the switch is left, so passing over a language on the way to another does not reload the page. Without
// JavaScript the form has a button instead.

const form = document.querySelector("form[data-language-switch]");
const select = form?.querySelector("select[name=language]");

if (form && select) {
  const shown = select.value;
  let byKeys = false;
  const send = () => {
    if (select.value !== shown) form.submit();
  };
  select.addEventListener("pointerdown", () => {
    byKeys = false;
  });
  select.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      send();
      return;
    }
    if (event.key !== "Tab") byKeys = true;
  });
  select.addEventListener("change", () => {
    if (!byKeys) send();
  });
  select.addEventListener("blur", () => {
    if (byKeys) send();
    byKeys = false;
  });
}
