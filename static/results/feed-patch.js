// A patch from the version a client has to the next (docs/feed.md, "Patches"), applied: the same rule as
// results/live/deltas.py's patch_apply. The document given is left as it was (pages compare the old with the new):
// what a change touches is copied, everything else shared. Written for old browsers too (CasparCG's Chromium 71):
// no ?? and no replaceAll.

export function patchApply(document, patch) {
  let result = document;
  for (const op of patch.ops || []) result = opApply(result, op);
  if (patch.rows) result = { ...result, standings: rowsApply(document.standings || [], patch.rows) };
  return result;
}

// One JSON Patch (RFC 6902) add, replace or remove, copying the containers on its path.
function opApply(root, op) {
  const steps = op.path
    .split("/")
    .slice(1)
    .map((step) => step.split("~1").join("/").split("~0").join("~"));
  const last = steps.pop();
  const copy = Array.isArray(root) ? root.slice() : { ...root };
  let parent = copy;
  for (const step of steps) {
    const child = parent[step];
    parent[step] = Array.isArray(child) ? child.slice() : { ...child };
    parent = parent[step];
  }
  if (Array.isArray(parent)) {
    if (op.op === "add") parent.splice(last === "-" ? parent.length : Number(last), 0, op.value);
    else if (op.op === "replace") parent[Number(last)] = op.value;
    else parent.splice(Number(last), 1);
  } else if (op.op === "remove") {
    delete parent[last];
  } else {
    parent[last] = op.value;
  }
  return copy;
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
