import { expect, it } from "vitest";
import { guideFor, guideItems } from "@/lib/guide/tracks";
import { checklistItemLabel } from "./checklist-labels";

it("labels a guide checklist item with its section, and shows an unknown id as it is", () => {
  const item = guideItems(guideFor("exchange-server"))[0]!;
  const label = checklistItemLabel(item.id);
  expect(label).toContain(item.label);
  expect(label).not.toBe(item.id);
  expect(checklistItemLabel("no-such-item-42")).toBe("no-such-item-42");
  expect(checklistItemLabel("<script>")).toBe("<script>");
});
