/**
 * React keys for a list whose ids may repeat (a preflight report has an "admin URL" check for
 * the typed URL and another for the catalog's endpoint): the first keeps its id, later ones get
 * "#2", "#3"… Stable across renders for the same list.
 */
export function uniqueKeys(ids: readonly string[]): string[] {
  const seen = new Map<string, number>();
  const taken = new Set(ids);
  return ids.map((id) => {
    const n = (seen.get(id) ?? 0) + 1;
    seen.set(id, n);
    if (n === 1) return id;
    let key = `${id}#${n}`;
    while (taken.has(key)) key += "'";
    taken.add(key);
    return key;
  });
}
