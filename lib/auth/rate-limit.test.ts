import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { afterEach, expect, it } from "vitest";
import type { DatabaseHandle } from "@/lib/db/connect";
import { describeEachDatabase } from "@/lib/testing/databases";
import { consume, reset } from "./rate-limit";

describeEachDatabase("rate limits", (handle) => {
  const others: DatabaseHandle[] = [];
  afterEach(async () => {
    for (const other of others.splice(0)) await other.close();
  });
  const another = () => {
    const other = handle().openAnother();
    others.push(other);
    return other;
  };
  const account = () => `admin-${randomUUID()}@brokerage.example`;

  it("allows the limit, then refuses with the time left in the window", async () => {
    const key = account();
    for (let i = 0; i < 5; i++) expect(await consume(handle().db, "signInPerAccountClient", key)).toEqual({ ok: true });
    const refused = await consume(handle().db, "signInPerAccountClient", key);
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.retryAfterSeconds).toBeGreaterThan(14 * 60);
      expect(refused.retryAfterSeconds).toBeLessThanOrEqual(15 * 60);
    }
  });

  it("is shared by every process on the same database, and outlives a restart", async () => {
    const key = account();
    for (let i = 0; i < 3; i++) expect((await consume(handle().db, "signInPerAccountClient", key)).ok).toBe(true);
    const second = another();
    for (let i = 0; i < 2; i++) expect((await consume(second.db, "signInPerAccountClient", key)).ok).toBe(true);
    // The sixth attempt is refused whichever process takes it, including one that started afresh.
    expect((await consume(second.db, "signInPerAccountClient", key)).ok).toBe(false);
    expect((await consume(handle().db, "signInPerAccountClient", key)).ok).toBe(false);
    expect((await consume(another().db, "signInPerAccountClient", key)).ok).toBe(false);
  });

  it("counts each limit and each subject apart; reset clears one subject of one limit", async () => {
    const key = account();
    expect((await consume(handle().db, "signInPerAccountClient", key, 5)).ok).toBe(true);
    expect((await consume(handle().db, "signInPerAccountClient", key)).ok).toBe(false);
    expect((await consume(handle().db, "revealPerStaff", key)).ok).toBe(true);
    expect((await consume(handle().db, "signInPerAccountClient", account())).ok).toBe(true);
    await reset(another().db, "signInPerAccountClient", key);
    expect((await consume(handle().db, "signInPerAccountClient", key)).ok).toBe(true);
  });

  it("stores a fixed-length hash of the subject, never the address itself, even a very long one", async () => {
    const key = `${"a".repeat(240)}@${"b".repeat(300)}.example`;
    expect((await consume(handle().db, "signInPerClient", key)).ok).toBe(true);
    const rows = await handle().db.selectFrom("rate_limits").select("key").execute();
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.key).toMatch(/^[A-Za-z]+:[A-Za-z0-9_-]{43}$/);
      expect(row.key).not.toContain("@");
    }
  });

  it("keeps limiting in memory when the database cannot answer", async () => {
    const other = another();
    await sql`drop table rate_limits`.execute(other.db);
    try {
      const key = account();
      for (let i = 0; i < 5; i++) expect((await consume(other.db, "signInPerAccountClient", key)).ok).toBe(true);
      expect((await consume(other.db, "signInPerAccountClient", key)).ok).toBe(false);
    } finally {
      await sql`create table rate_limits (key varchar(255) primary key, points integer not null default 0, expire bigint)`.execute(other.db);
    }
  });
});
