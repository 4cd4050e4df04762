// Race change form: choosing a points preset fills the points table (the presets come from the select's
// data-presets attribute). Editing the table by hand sets the select back to "Custom".

const preset = document.querySelector("select.points-preset");
const table = document.querySelector("textarea.points-table");

function fillTable() {
  const presets = JSON.parse(preset.dataset.presets);
  if (preset.value in presets) {
    table.value = JSON.stringify(presets[preset.value]);
  }
}

function markCustom() {
  preset.value = "";
}

if (preset && table) {
  preset.addEventListener("change", fillTable);
  table.addEventListener("input", markCustom);
}
