// A patch from the version a client has to the next (docs/feed.md, "Patches"), applied: the same rule as
// results/live/deltas.py's patch_apply. The document given is left as it was (pages compare the old with the new):
// rows that did not change are shared, changed ones are new objects.

export function patchApply(document, patch) {
  const result = { ...document, ...(patch.set || {}) };
  for (const name of patch.unset || []) delete result[name];
  if (patch.rows) result.standings = rowsApply(document.standings || [], patch.rows);
  return result;
}

function rowsApply(rows, patch) {
  const { key } = patch;
  const byKey = new Map(rows.map((row) => [row[key], row]));
  for (const gone of patch.remove || []) byKey.delete(gone);
  for (const row of [...(patch.add || []), ...(patch.replace || [])]) byKey.set(row[key], row);
  for (const fields of patch.update || []) byKey.set(fields[key], { ...byKey.get(fields[key]), ...fields });
  const order = patch.order || rows.map((row) => row[key]).filter((name) => byKey.has(name));
  return order.map((name) => byKey.get(name));
}
