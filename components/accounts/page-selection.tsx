"use client";

import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";

export type PageSelection<K> = {
  /** The keys ticked on this page. */
  selected: Set<K>;
  /** Every row matching the search is chosen, not only this page's. */
  allMatching: boolean;
  /** How many rows an action would act on. */
  count: number;
  /** Every selectable row of this page is ticked. */
  pageSelected: boolean;
  /** The page is ticked and the search has more rows than the page: offer all of them. */
  canSelectAllMatching: boolean;
  isChecked: (key: K) => boolean;
  toggle: (key: K) => void;
  /** Ticks or clears the whole page. */
  setPage: (on: boolean) => void;
  selectAllMatching: () => void;
  clear: () => void;
};

/**
 * The selection over one page of a list paged on the server: rows ticked one by one, the
 * whole page, or (once the page is ticked) every row matching the search. `keys` are the
 * page's selectable rows; any change in `resetOn` (a new page, search or filter) clears it.
 */
export function usePageSelection<K>(keys: K[], total: number, resetOn: readonly unknown[]): PageSelection<K> {
  const [selected, setSelected] = useState<Set<K>>(new Set());
  const [allMatching, setAllMatching] = useState(false);
  const resetKey = JSON.stringify(resetOn);
  useEffect(() => {
    setSelected(new Set());
    setAllMatching(false);
  }, [resetKey]);

  const pageSelected = keys.length > 0 && keys.every((k) => selected.has(k));
  return {
    selected,
    allMatching,
    count: allMatching ? total : selected.size,
    pageSelected,
    canSelectAllMatching: pageSelected && total > keys.length && !allMatching,
    isChecked: (key) => selected.has(key) || (allMatching && keys.includes(key)),
    toggle: (key) => {
      setAllMatching(false);
      setSelected((s) => {
        const n = new Set(s);
        if (n.has(key)) n.delete(key);
        else n.add(key);
        return n;
      });
    },
    setPage: (on) => {
      setAllMatching(false);
      setSelected(on ? new Set(keys) : new Set());
    },
    selectAllMatching: () => setAllMatching(true),
    clear: () => {
      setSelected(new Set());
      setAllMatching(false);
    },
  };
}

/** "Select all N matching", when the selection can grow beyond the page. */
export function SelectAllMatching<K>({ selection, total }: { selection: PageSelection<K>; total: number }) {
  if (!selection.canSelectAllMatching) return null;
  return (
    <Button type="button" variant="link" size="sm" onClick={selection.selectAllMatching}>
      Select all {total.toLocaleString("en-US")} matching
    </Button>
  );
}

/** The header checkbox that ticks or clears the whole page. */
export function SelectPageCheckbox<K>({ selection, label }: { selection: PageSelection<K>; label: string }) {
  return <input type="checkbox" aria-label={label} checked={selection.pageSelected} onChange={(e) => selection.setPage(e.target.checked)} />;
}
