import "server-only";
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
  "002_staff_tokens_checklists": {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("staff_users")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("email", "text", (c) => c.notNull().unique())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("role", "text", (c) => c.notNull())
        .addColumn("password_hash", "text")
        .addColumn("totp_secret", "text")
        .addColumn("totp_enabled", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("disabled_at", "text")
        .execute();
      await db.schema
        .createTable("staff_sessions")
        .addColumn("token_hash", "text", (c) => c.primaryKey())
        .addColumn("staff_id", "text", (c) => c.notNull().references("staff_users.id").onDelete("cascade"))
        .addColumn("second_factor", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("last_seen_at", "text", (c) => c.notNull())
        .addColumn("expires_at", "text", (c) => c.notNull())
        .addColumn("revoked_at", "text")
        .execute();
      await db.schema.createIndex("staff_sessions_staff").on("staff_sessions").column("staff_id").execute();
      await db.schema
        .createTable("access_tokens")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("token_hash", "text", (c) => c.notNull().unique())
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("onboarding_id", "text", (c) => c.references("onboardings.id").onDelete("cascade"))
        .addColumn("staff_id", "text", (c) => c.references("staff_users.id").onDelete("cascade"))
        .addColumn("label", "text", (c) => c.notNull().defaultTo(""))
        .addColumn("created_by", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("expires_at", "text", (c) => c.notNull())
        .addColumn("revoked_at", "text")
        .addColumn("last_used_at", "text")
        .execute();
      await db.schema.createIndex("access_tokens_onboarding").on("access_tokens").columns(["onboarding_id", "kind"]).execute();
      await db.schema
        .createTable("link_sessions")
        .addColumn("token_hash", "text", (c) => c.primaryKey())
        .addColumn("access_token_id", "text", (c) => c.notNull().references("access_tokens.id").onDelete("cascade"))
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("expires_at", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("checklist_progress")
        .addColumn("onboarding_id", "text", (c) => c.notNull().references("onboardings.id").onDelete("cascade"))
        .addColumn("item_id", "text", (c) => c.notNull())
        .addColumn("checked", "integer", (c) => c.notNull())
        .addColumn("actor_kind", "text", (c) => c.notNull())
        .addColumn("actor_label", "text", (c) => c.notNull())
        .addColumn("updated_at", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("checklist_progress_pk", ["onboarding_id", "item_id"])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      for (const t of ["checklist_progress", "link_sessions", "access_tokens", "staff_sessions", "staff_users"]) {
        await sql`drop table if exists ${sql.table(t)}`.execute(db);
      }
    },
  },
  "003_credentials": {
    async up(db: Kysely<unknown>) {
      // One row per submission. The password (with copies of the other fields) is only in `sealed`; the clear
      // columns serve the masked preview. Destroying a credential nulls `sealed` and keeps the row for the audit trail.
      await db.schema
        .createTable("credentials")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("onboarding_id", "text", (c) => c.notNull().references("onboardings.id").onDelete("cascade"))
        .addColumn("track", "text", (c) => c.notNull())
        .addColumn("service_account", "text", (c) => c.notNull())
        .addColumn("test_mailbox", "text", (c) => c.notNull())
        .addColumn("ews_url", "text")
        .addColumn("key_id", "text")
        .addColumn("sealed", "text")
        .addColumn("created_by", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("verified_at", "text")
        .addColumn("destroyed_at", "text")
        .execute();
      await db.schema.createIndex("credentials_onboarding").on("credentials").columns(["onboarding_id", "id"]).execute();
      await db.schema.createIndex("credentials_key").on("credentials").column("key_id").execute();
      await db.schema
        .createTable("service_tokens")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("token_hash", "text", (c) => c.notNull().unique())
        .addColumn("scope", "text", (c) => c.notNull())
        .addColumn("created_by", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("revoked_at", "text")
        .addColumn("last_used_at", "text")
        .execute();
    },
    async down(db: Kysely<unknown>) {
      for (const t of ["service_tokens", "credentials"]) await sql`drop table if exists ${sql.table(t)}`.execute(db);
    },
  },
  "004_test_runs_outbox_jobs": {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("test_runs")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("onboarding_id", "text", (c) => c.notNull().references("onboardings.id").onDelete("cascade"))
        .addColumn("credential_id", "text")
        .addColumn("trigger", "text", (c) => c.notNull())
        .addColumn("actor_kind", "text", (c) => c.notNull())
        .addColumn("actor_label", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("outcome", "text")
        .addColumn("failed_stage", "text")
        .addColumn("primary_cause", "text")
        .addColumn("service_account", "text", (c) => c.notNull())
        .addColumn("test_mailbox", "text", (c) => c.notNull())
        .addColumn("steps", "text", (c) => c.notNull().defaultTo("[]"))
        .addColumn("log", "text", (c) => c.notNull().defaultTo(""))
        .addColumn("findings", "text", (c) => c.notNull().defaultTo("[]"))
        .addColumn("started_at", "text", (c) => c.notNull())
        .addColumn("finished_at", "text")
        .addColumn("elapsed_ms", "integer")
        .execute();
      await db.schema.createIndex("test_runs_onboarding").on("test_runs").columns(["onboarding_id", "started_at"]).execute();
      await db.schema
        .createTable("outbox")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("onboarding_id", "text", (c) => c.references("onboardings.id").onDelete("set null"))
        .addColumn("template", "text", (c) => c.notNull())
        .addColumn("to_address", "text", (c) => c.notNull())
        .addColumn("subject", "text", (c) => c.notNull())
        .addColumn("body", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("next_attempt_at", "text", (c) => c.notNull())
        .addColumn("last_error", "text")
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("sent_at", "text")
        .execute();
      await db.schema.createIndex("outbox_due").on("outbox").columns(["status", "next_attempt_at"]).execute();
      await db.schema
        .createTable("job_leases")
        .addColumn("name", "text", (c) => c.primaryKey())
        .addColumn("holder", "text", (c) => c.notNull())
        .addColumn("expires_at", "text", (c) => c.notNull())
        .addColumn("last_run_at", "text")
        .execute();
    },
    async down(db: Kysely<unknown>) {
      for (const t of ["job_leases", "outbox", "test_runs"]) await sql`drop table if exists ${sql.table(t)}`.execute(db);
    },
  },
  "005_rate_limits": {
    // rate-limiter-flexible's own table layout (RateLimiterPostgres / RateLimiterSQLite), created here so it
    // lives in the app's schema and is versioned; keys are hashes, never addresses or client identifiers.
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("rate_limits")
        .addColumn("key", "varchar(255)", (c) => c.primaryKey())
        .addColumn("points", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("expire", "bigint")
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await sql`drop table if exists rate_limits`.execute(db);
    },
  },
  "006_state_change_indexes": {
    // The dashboard's funnel and time-in-state read only state changes (a minority of events): partial indexes
    // let the funnel count from the index alone and the time-in-state sample walk only state changes.
    async up(db: Kysely<unknown>) {
      await db.schema
        .createIndex("events_state_changes_by_state")
        .on("events")
        .columns(["to_state", "onboarding_id"])
        .where(sql.ref("to_state"), "is not", null)
        .execute();
      await db.schema
        .createIndex("events_state_changes_by_time")
        .on("events")
        .columns(["created_at", "id", "onboarding_id", "to_state"])
        .where(sql.ref("to_state"), "is not", null)
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropIndex("events_state_changes_by_time").ifExists().execute();
      await db.schema.dropIndex("events_state_changes_by_state").ifExists().execute();
    },
  },
  "010_totp_replay": {
    // The time step of the last TOTP code each staff member used: a code is taken once (RFC 6238 §5.2), so one
    // seen over a shoulder or replayed on a second session is refused.
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable("staff_users").addColumn("totp_last_step", "bigint").execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.alterTable("staff_users").dropColumn("totp_last_step").execute();
    },
  },
  "011_verification_leases": {
    // A verification in flight holds a lease on its onboarding, renewed by a heartbeat while the probe runs, and
    // its test run records the same heartbeat: after a crash both go stale and the resume job ends or resumes
    // them instead of leaving the onboarding in "verifying" and the run "running" for good. Re-verification
    // claims an onboarding through the same lease, so two instances never probe one onboarding at once.
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable("onboardings").addColumn("verification_holder", "text").execute();
      await db.schema.alterTable("onboardings").addColumn("verification_lease_until", "text").execute();
      await db.schema.alterTable("test_runs").addColumn("heartbeat_at", "text").execute();
      await db.schema.createIndex("test_runs_running").on("test_runs").columns(["status", "heartbeat_at"]).execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropIndex("test_runs_running").ifExists().execute();
      await db.schema.alterTable("test_runs").dropColumn("heartbeat_at").execute();
      await db.schema.alterTable("onboardings").dropColumn("verification_lease_until").execute();
      await db.schema.alterTable("onboardings").dropColumn("verification_holder").execute();
    },
  },
  "012_app_access": {
    // Microsoft 365 app access (MoxiWorks's Entra app + RBAC for Applications). An onboarding connects either with
    // a service account (ews_impersonation, the 2021 method) or with the app (graph_app). app_access holds the
    // consent (tenant, who granted it, when, and when the server first obtained a token for that tenant: only then
    // is the tenant trusted) and the graph_app submission (group, test mailbox, out-of-reach mailbox); no secret.
    // consent_states are single-use `state` values for Microsoft's admin-consent redirect, bound to the link
    // session that started it (only hashes stored), with a short expiry.
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable("onboardings").addColumn("connection_method", "text", (c) => c.notNull().defaultTo("ews_impersonation")).execute();
      await db.schema
        .createTable("app_access")
        .addColumn("onboarding_id", "text", (c) => c.primaryKey().references("onboardings.id").onDelete("cascade"))
        .addColumn("tenant_id", "text")
        .addColumn("client_id", "text")
        .addColumn("granted_by_kind", "text")
        .addColumn("granted_by_label", "text")
        .addColumn("granted_at", "text")
        .addColumn("trusted_at", "text")
        .addColumn("token_problem", "text")
        .addColumn("group_name", "text")
        .addColumn("test_mailbox", "text")
        .addColumn("out_of_scope_mailbox", "text")
        .addColumn("submitted_at", "text")
        .addColumn("verified_at", "text")
        .addColumn("updated_at", "text", (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("consent_states")
        .addColumn("state_hash", "text", (c) => c.primaryKey())
        .addColumn("onboarding_id", "text", (c) => c.notNull().references("onboardings.id").onDelete("cascade"))
        .addColumn("link_session_hash", "text", (c) => c.notNull())
        .addColumn("link_id", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("expires_at", "text", (c) => c.notNull())
        .addColumn("used_at", "text")
        .execute();
      await db.schema.createIndex("consent_states_by_onboarding").on("consent_states").columns(["onboarding_id", "created_at"]).execute();
    },
    async down(db: Kysely<unknown>) {
      await sql`drop table if exists consent_states`.execute(db);
      await sql`drop table if exists app_access`.execute(db);
      await db.schema.alterTable("onboardings").dropColumn("connection_method").execute();
    },
  },
  "014_mail_host_detections": {
    // Where a brokerage's mail lives, as the detector found it from an address (lib/detect): the latest answer per
    // onboarding, so the workspace can pre-answer its first question and staff can filter the dashboard by host.
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("mail_host_detections")
        .addColumn("onboarding_id", "text", (c) => c.primaryKey().references("onboardings.id").onDelete("cascade"))
        .addColumn("address", "text", (c) => c.notNull())
        .addColumn("host", "text", (c) => c.notNull())
        .addColumn("track", "text")
        .addColumn("confidence", "text", (c) => c.notNull())
        .addColumn("tenant_id", "text")
        .addColumn("ews_url", "text")
        .addColumn("detection", "text", (c) => c.notNull())
        .addColumn("detected_at", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("mail_host_detections_by_host").on("mail_host_detections").columns(["host", "onboarding_id"]).execute();
    },
    async down(db: Kysely<unknown>) {
      await sql`drop table if exists mail_host_detections`.execute(db);
    },
  },
  "013_support_access": {
    // Support access with the brokerage's approval (issue 24): a staff member's request for one onboarding's
    // credential, the brokerage's answer, and every reveal (TechOps break-glass ones too) so the brokerage can
    // see who looked at its secret. Nothing secret is stored here: reasons and names only.
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("access_requests")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("onboarding_id", "text", (c) => c.notNull().references("onboardings.id").onDelete("cascade"))
        .addColumn("staff_id", "text", (c) => c.notNull())
        .addColumn("staff_label", "text", (c) => c.notNull())
        .addColumn("reason", "text", (c) => c.notNull())
        .addColumn("duration_minutes", "integer", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("mode", "text")
        .addColumn("requested_at", "text", (c) => c.notNull())
        .addColumn("request_expires_at", "text", (c) => c.notNull())
        .addColumn("decided_at", "text")
        .addColumn("decided_by", "text")
        .addColumn("approved_until", "text")
        .addColumn("revoked_at", "text")
        .addColumn("used_at", "text")
        .execute();
      await db.schema.createIndex("access_requests_onboarding").on("access_requests").columns(["onboarding_id", "requested_at"]).execute();
      await db.schema.createIndex("access_requests_staff").on("access_requests").columns(["staff_id", "onboarding_id"]).execute();
      await db.schema
        .createTable("credential_reveals")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("onboarding_id", "text", (c) => c.notNull().references("onboardings.id").onDelete("cascade"))
        .addColumn("staff_id", "text", (c) => c.notNull())
        .addColumn("staff_label", "text", (c) => c.notNull())
        .addColumn("role", "text", (c) => c.notNull())
        .addColumn("reason", "text", (c) => c.notNull())
        .addColumn("request_id", "text")
        .addColumn("credential_id", "text", (c) => c.notNull())
        .addColumn("revealed_at", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("credential_reveals_onboarding").on("credential_reveals").columns(["onboarding_id", "revealed_at"]).execute();
    },
    async down(db: Kysely<unknown>) {
      await sql`drop table if exists credential_reveals`.execute(db);
      await sql`drop table if exists access_requests`.execute(db);
    },
  },
  "017_roster": {
    // The agents' roster of an onboarding and its mailbox checks (issue 16). Personal data: stored with the
    // onboarding, deleted with it on revoke (lib/verification/controls.ts), never logged beyond counts.
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("roster_entries")
        .addColumn("onboarding_id", "text", (c) => c.notNull().references("onboardings.id").onDelete("cascade"))
        .addColumn("address_key", "text", (c) => c.notNull())
        .addColumn("address", "text", (c) => c.notNull())
        .addColumn("position", "integer", (c) => c.notNull())
        .addColumn("outcome", "text", (c) => c.notNull())
        .addColumn("cause", "text")
        .addColumn("failure_code", "text")
        .addColumn("server_code", "text")
        .addColumn("check_id", "text")
        .addColumn("checked_at", "text")
        .addPrimaryKeyConstraint("roster_entries_pk", ["onboarding_id", "address_key"])
        .execute();
      await db.schema.createIndex("roster_entries_by_check").on("roster_entries").columns(["check_id", "outcome"]).execute();
      await db.schema
        .createTable("roster_checks")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("onboarding_id", "text", (c) => c.notNull().references("onboardings.id").onDelete("cascade"))
        .addColumn("state", "text", (c) => c.notNull())
        .addColumn("scope", "text", (c) => c.notNull())
        .addColumn("track", "text")
        .addColumn("total", "integer", (c) => c.notNull())
        .addColumn("requested_by", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("started_at", "text")
        .addColumn("finished_at", "text")
        .addColumn("holder", "text")
        .addColumn("lease_until", "text")
        .addColumn("cancel_requested", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("access_failure", "text")
        .execute();
      await db.schema.createIndex("roster_checks_by_onboarding").on("roster_checks").columns(["onboarding_id", "created_at"]).execute();
      await db.schema.createIndex("roster_checks_by_state").on("roster_checks").columns(["state", "lease_until"]).execute();
    },
    async down(db: Kysely<unknown>) {
      await sql`drop table if exists roster_checks`.execute(db);
      await sql`drop table if exists roster_entries`.execute(db);
    },
  },
  /** How the service account signs in to EWS (lib/validation/credentials.ts AUTH_SCHEMES); older rows: automatic. */
  "021_auth_scheme": {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable("credentials").addColumn("auth_scheme", "text", (c) => c.notNull().defaultTo("auto")).execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.alterTable("credentials").dropColumn("auth_scheme").execute();
    },
  },
  /**
   * "Agents reachable N of M" on the staff dashboard (issue 16): a finished roster check keeps the roster's
   * figures as they stood at its end, so a check under way does not change what the dashboard shows. And at most
   * one running check per onboarding, enforced by the database (a staff start and the daily re-check can race).
   */
  "022_roster_reach": {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable("roster_checks").addColumn("roster_reachable", "integer").execute();
      await db.schema.alterTable("roster_checks").addColumn("roster_total", "integer").execute();
      await db.schema.createIndex("roster_checks_one_running").on("roster_checks").column("onboarding_id").unique().where(sql.ref("state"), "=", "running").execute();
    },
    async down(db: Kysely<unknown>) {
      await sql`drop index if exists roster_checks_one_running`.execute(db);
      await db.schema.alterTable("roster_checks").dropColumn("roster_total").execute();
      await db.schema.alterTable("roster_checks").dropColumn("roster_reachable").execute();
    },
  },
  /**
   * "Use our own app registration" (issue 13; renumber freely when merging): an app_access row says whose app it is
   * (`registration`: moxiworks = MoxiWorks's multi-tenant app, own = the brokerage's single-tenant app, with its
   * client id in client_id). app_certificates holds the certificates this server generated for an own app: the
   * public certificate in clear (it is public), the private key sealed with the key ring (null once destroyed),
   * thumbprints and validity for the expiry watch. A new certificate is `pending` until a test with it passes;
   * then it is `active` and the older ones are destroyed (rollover without downtime). app_certificate_reminders:
   * one row per certificate and warning (60/30/7 days); its primary key makes each warning go out once, even
   * with two schedulers racing.
   */
  "023_own_app_certificates": {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable("app_access").addColumn("registration", "text", (c) => c.notNull().defaultTo("moxiworks")).execute();
      await db.schema
        .createTable("app_certificates")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("onboarding_id", "text", (c) => c.notNull().references("onboardings.id").onDelete("cascade"))
        .addColumn("certificate_pem", "text", (c) => c.notNull())
        .addColumn("sealed_key", "text")
        .addColumn("thumbprint_sha256", "text", (c) => c.notNull())
        .addColumn("thumbprint_sha1", "text", (c) => c.notNull())
        .addColumn("not_before", "text", (c) => c.notNull())
        .addColumn("not_after", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("created_by", "text", (c) => c.notNull())
        .addColumn("verified_at", "text")
        .addColumn("destroyed_at", "text")
        .execute();
      await db.schema.createIndex("app_certificates_by_onboarding").on("app_certificates").columns(["onboarding_id", "created_at"]).execute();
      await db.schema.createIndex("app_certificates_by_expiry").on("app_certificates").columns(["status", "not_after"]).execute();
      await db.schema
        .createTable("app_certificate_reminders")
        .addColumn("certificate_id", "text", (c) => c.notNull().references("app_certificates.id").onDelete("cascade"))
        .addColumn("days", "integer", (c) => c.notNull())
        .addColumn("sent_at", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("app_certificate_reminders_pk", ["certificate_id", "days"])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await sql`drop table if exists app_certificate_reminders`.execute(db);
      await sql`drop table if exists app_certificates`.execute(db);
      await db.schema.alterTable("app_access").dropColumn("registration").execute();
    },
  },
  "024_oidc_staff": {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable("staff_users").addColumn("oidc_issuer", "text").execute();
      await db.schema.alterTable("staff_users").addColumn("oidc_subject", "text").execute();
      await db.schema.createIndex("staff_users_oidc_identity").on("staff_users").columns(["oidc_issuer", "oidc_subject"]).unique().execute();
      await db.schema.alterTable("staff_sessions").addColumn("auth_method", "text", (c) => c.notNull().defaultTo("password")).execute();
      await db.schema.alterTable("staff_sessions").addColumn("mfa_at", "text").execute();
      await db.schema.alterTable("staff_sessions").addColumn("oidc_refresh_token", "text").execute();
      await db.schema.alterTable("staff_sessions").addColumn("oidc_checked_at", "text").execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.alterTable("staff_sessions").dropColumn("oidc_checked_at").execute();
      await db.schema.alterTable("staff_sessions").dropColumn("oidc_refresh_token").execute();
      await db.schema.alterTable("staff_sessions").dropColumn("mfa_at").execute();
      await db.schema.alterTable("staff_sessions").dropColumn("auth_method").execute();
      await sql`drop index if exists staff_users_oidc_identity`.execute(db);
      await db.schema.alterTable("staff_users").dropColumn("oidc_subject").execute();
      await db.schema.alterTable("staff_users").dropColumn("oidc_issuer").execute();
    },
  },
  /**
   * Fast at ten times the size (issue 23). The dashboard's counts per state and its funnel are kept in
   * state_tallies, updated in the same transaction as each state change (lib/onboarding/tallies.ts), so reading
   * them costs a dozen rows however long the history; this migration fills them from the data as it stands.
   * events_time_id serves the audit log's keyset order (created_at desc, id desc) on both databases.
   */
  "025_state_tallies": {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("state_tallies")
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("state", "text", (c) => c.notNull())
        .addColumn("n", "integer", (c) => c.notNull())
        .addPrimaryKeyConstraint("state_tallies_pk", ["kind", "state"])
        .execute();
      await sql`insert into state_tallies (kind, state, n) select 'current', state, count(*) from onboardings group by state`.execute(db);
      await sql`insert into state_tallies (kind, state, n)
        select 'reached', to_state, count(distinct onboarding_id) from events
        where to_state is not null and onboarding_id is not null group by to_state`.execute(db);
      await db.schema.createIndex("events_time_id").on("events").columns(["created_at", "id"]).execute();
      // The dashboard list in its full order (last_activity_at, id), with search_text alongside so a search is
      // matched in the index and its count needs no table rows; the same per state for a state filter.
      await db.schema.createIndex("onboardings_activity_search").on("onboardings").columns(["last_activity_at", "id", "search_text"]).execute();
      await db.schema.createIndex("onboardings_state_activity_search").on("onboardings").columns(["state", "last_activity_at", "id", "search_text"]).execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropIndex("onboardings_state_activity_search").ifExists().execute();
      await db.schema.dropIndex("onboardings_activity_search").ifExists().execute();
      await db.schema.dropIndex("events_time_id").ifExists().execute();
      await sql`drop table if exists state_tallies`.execute(db);
    },
  },
  /**
   * Security incidents (issue 21): TechOps asks every affected brokerage to rotate at once. The members are fixed
   * when the incident opens; each is notified (moved to rotation requested, mailed) in batches that resume after a
   * crash, and the incident closes only once every member is rotated, revoked or excepted with a reason.
   */
  "026_incidents": {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("incidents")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("name", "text", (c) => c.notNull())
        .addColumn("reason", "text", (c) => c.notNull())
        .addColumn("selection", "text", (c) => c.notNull().defaultTo("{}"))
        .addColumn("created_by_id", "text")
        .addColumn("created_by_label", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("due_at", "text", (c) => c.notNull())
        .addColumn("reminder_every_hours", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("last_reminded_at", "text")
        .addColumn("closed_at", "text")
        .addColumn("closed_by_label", "text")
        .addColumn("close_note", "text")
        .execute();
      await db.schema
        .createTable("incident_members")
        .addColumn("incident_id", "text", (c) => c.notNull().references("incidents.id").onDelete("cascade"))
        .addColumn("onboarding_id", "text", (c) => c.notNull().references("onboardings.id").onDelete("cascade"))
        .addColumn("method", "text", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("notified_at", "text")
        .addColumn("reminded_at", "text")
        .addColumn("reminders", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("excepted_reason", "text")
        .addColumn("excepted_by_label", "text")
        .addColumn("excepted_at", "text")
        .addPrimaryKeyConstraint("incident_members_pk", ["incident_id", "onboarding_id"])
        .execute();
      await db.schema.createIndex("incident_members_status").on("incident_members").columns(["incident_id", "status", "onboarding_id"]).execute();
      await db.schema.createIndex("incident_members_onboarding").on("incident_members").column("onboarding_id").execute();
    },
    async down(db: Kysely<unknown>) {
      await sql`drop table if exists incident_members`.execute(db);
      await sql`drop table if exists incidents`.execute(db);
    },
  },
  /**
   * Issue 13: where policy forces a client secret instead of a certificate, the brokerage's own app's secret is
   * kept here, sealed with the key ring like a password (bound to the onboarding), with a masked hint and the
   * expiry date the admin gave; one per onboarding (a new one replaces it). app_secret_reminders: one row per
   * secret expiry date and warning (60/30/7 days), its primary key makes each go out once.
   */
  "027_own_app_secret": {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable("app_client_secrets")
        .addColumn("onboarding_id", "text", (c) => c.primaryKey().references("onboardings.id").onDelete("cascade"))
        .addColumn("sealed_secret", "text", (c) => c.notNull())
        .addColumn("hint", "text", (c) => c.notNull())
        .addColumn("expires_at", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("created_by", "text", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("app_client_secrets_by_expiry").on("app_client_secrets").column("expires_at").execute();
      await db.schema
        .createTable("app_secret_reminders")
        .addColumn("onboarding_id", "text", (c) => c.notNull().references("onboardings.id").onDelete("cascade"))
        .addColumn("expires_at", "text", (c) => c.notNull())
        .addColumn("days", "integer", (c) => c.notNull())
        .addColumn("sent_at", "text", (c) => c.notNull())
        .addPrimaryKeyConstraint("app_secret_reminders_pk", ["onboarding_id", "expires_at", "days"])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await sql`drop table if exists app_secret_reminders`.execute(db);
      await sql`drop table if exists app_client_secrets`.execute(db);
    },
  },
};
