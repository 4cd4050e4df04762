// A mass start's sprint cards (templates/admin/results/race/_sprints.html) work without this file; it names the
// skaters as the official types their bibs, so a wrong bib shows before the save refuses it.

const field = JSON.parse(document.getElementById("sprint-field")?.textContent ?? "{}");

function preview(input) {
  const output = document.getElementById(`${input.id}_preview`);
  if (!output) return;
  const bibs = input.value.split(/[\s,;]+/).filter(Boolean);
  const seen = new Set();
  const problems = [];
  const names = [];
  for (const bib of bibs) {
    if (!(bib in field)) problems.push(`${bib}: not in this race`);
    else if (seen.has(bib)) problems.push(`${bib}: typed twice`);
    else names.push(`${names.length + 1}. ${field[bib]}`);
    seen.add(bib);
  }
  output.textContent = problems.length ? `✗ ${problems.join("; ")}` : names.join(" · ");
  output.dataset.state = problems.length ? "error" : "ok";
}

for (const input of document.querySelectorAll("input.sprint-order")) {
  input.addEventListener("input", () => preview(input));
}
