import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, it } from "vitest";
import { describeEachDatabase } from "@/lib/testing/databases";
import { createLink } from "@/lib/auth/links";
import { createOnboarding } from "@/lib/onboarding/store";
import { listOutbox } from "./outbox";
import { remindExpiringLinks } from "./reminders";

// Mail bodies are sealed with the key ring, which lives in DATA_DIR: give this file its own.
process.env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "moxi-mail-keys-"));

const staff = { kind: "staff" as const, label: "Sam" };

describeEachDatabase("link expiry reminders", (handle) => {
  it("reminds once for a brokerage link expiring within three days, and not for others", async () => {
    const { db } = handle();
    const soon = await createOnboarding(db, { brokerageName: "Soon Realty", contactName: "S", contactEmail: "soon@acme.test" }, staff);
    const later = await createOnboarding(db, { brokerageName: "Later Realty", contactName: "L", contactEmail: "later@acme.test" }, staff);
    await createLink(db, { onboardingId: soon.id, kind: "brokerage", ttlDays: 2 }, staff);
    await createLink(db, { onboardingId: soon.id, kind: "vendor", ttlDays: 2 }, staff);
    await createLink(db, { onboardingId: later.id, kind: "brokerage", ttlDays: 20 }, staff);
    expect(await remindExpiringLinks(db)).toBe(1);
    expect(await remindExpiringLinks(db)).toBe(0);
    const mails = await listOutbox(db, { onboardingId: soon.id });
    expect(mails.map((m) => [m.template, m.to_address])).toEqual([["link_expiring", "soon@acme.test"]]);
    expect(await listOutbox(db, { onboardingId: later.id })).toEqual([]);
  });
});
