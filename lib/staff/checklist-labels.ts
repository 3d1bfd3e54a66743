import { checklistItemLabel as guideItemLabel } from "@/lib/guide/tracks";

/**
 * The label of a guide checklist item, for staff pages ("Section: item"). The guide owns the labels; an id it
 * no longer knows (an item renamed since it was ticked) is shown as the id itself, which stays readable.
 */
const labels = new Map<string, string>();

export function checklistItemLabel(itemId: string): string {
  let label = labels.get(itemId);
  if (label === undefined) {
    label = guideItemLabel(itemId) ?? itemId;
    if (labels.size < 10_000) labels.set(itemId, label); // ids come from the database: keep the memo bounded
  }
  return label;
}
