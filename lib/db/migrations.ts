import { sql, type Kysely, type Migration } from "kysely";

/**
 * Versioned migrations, in code so the production bundle carries them. Append new ones; never edit a
 * migration that has shipped. Only portable column types (text, integer, bigint) are used.
 */
export const migrations: Record<string, Migration> = {
  "001_onboardings_and_events": {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("onboardings")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("brokerage_name", "text", (c) => c.notNull())
        .addColumn("contact_name", "text", (c) => c.notNull())
        .addColumn("contact_email", "text", (c) => c.notNull())
        .addColumn("notes", "text", (c) => c.notNull().defaultTo(""))
        .addColumn("track", "text")
        .addColumn("state", "text", (c) => c.notNull())
        .addColumn("search_text", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .addColumn("last_activity_at", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("onboardings_state_activity").on("onboardings").columns(["state", "last_activity_at"]).execute();
      await db.schema.createIndex("onboardings_activity").on("onboardings").column("last_activity_at").execute();

      await db.schema
        .createTable("events")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("onboarding_id", "text", (c) => c.references("onboardings.id").onDelete("cascade"))
        .addColumn("type", "text", (c) => c.notNull())
        .addColumn("actor_kind", "text", (c) => c.notNull())
        .addColumn("actor_id", "text")
        .addColumn("actor_label", "text", (c) => c.notNull())
        .addColumn("from_state", "text")
        .addColumn("to_state", "text")
        .addColumn("reason", "text", (c) => c.notNull().defaultTo(""))
        .addColumn("details", "text", (c) => c.notNull().defaultTo("{}"))
        .addColumn("created_at", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("events_onboarding_time").on("events").columns(["onboarding_id", "created_at"]).execute();
      await db.schema.createIndex("events_time").on("events").column("created_at").execute();
    },
    async down(db: Kysely<unknown>) {
      await sql`drop table if exists events`.execute(db);
      await sql`drop table if exists onboardings`.execute(db);
    },
  },
};
