/**
 * The label of a guide checklist item, for staff pages. The guide's content module owns the labels; until it
 * offers a lookup, staff see the item's id (stable and readable, e.g. `grant-impersonation-6`).
 * TODO(lead): return the guide's label here once lib/guide/content.ts exports an item lookup.
 */
export function checklistItemLabel(itemId: string): string {
  return itemId;
}
