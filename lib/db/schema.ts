import type { Generated } from "kysely";

/**
 * Table types. Portable across SQLite and Postgres on purpose: ids and timestamps are text (ISO 8601 UTC,
 * so they sort as strings), JSON is text, booleans are integers.
 */
export interface OnboardingsTable {
  id: string;
  brokerage_name: string;
  contact_name: string;
  contact_email: string;
  notes: string;
  track: string | null;
  state: string;
  /** Lower-cased name, contact and email: one LIKE works the same on both databases. */
  search_text: string;
  created_at: string;
  updated_at: string;
  last_activity_at: string;
  /** Who holds the lease of the verification in flight (null: none); see lib/onboarding/verification-lease.ts. */
  verification_holder?: string | null;
  verification_lease_until?: string | null;
  /** ews_impersonation | graph_app (migration 012). */
  connection_method?: string;
}

export interface EventsTable {
  id: string;
  onboarding_id: string | null;
  type: string;
  actor_kind: string;
  actor_id: string | null;
  actor_label: string;
  from_state: string | null;
  to_state: string | null;
  reason: string;
  /** JSON object; never holds a secret. */
  details: string;
  created_at: string;
}

export interface StaffUsersTable {
  id: string;
  email: string;
  name: string;
  role: string;
  password_hash: string | null;
  totp_secret: string | null;
  totp_enabled: number;
  /** The 30-second step of the last code used (bigint: Postgres returns it as a string). */
  totp_last_step: string | number | null;
  created_at: string;
  disabled_at: string | null;
  /** OpenID Connect identity (migration 024): the issuer and its stable subject; both null for password accounts. */
  oidc_issuer: string | null;
  oidc_subject: string | null;
}

export interface StaffSessionsTable {
  token_hash: string;
  staff_id: string;
  /** 1 once the session has passed the TOTP check (or the account has none). */
  second_factor: number;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  revoked_at: string | null;
  /** password | oidc (migration 024). */
  auth_method: string;
  /** When this session last proved a second factor fit for TechOps actions: MFA the issuer reported, or a TOTP code here. */
  mfa_at: string | null;
  /** The provider's refresh token, sealed with the key ring (null: none issued). */
  oidc_refresh_token: string | null;
  /** When the provider last confirmed the account (sign-in or refresh); re-checked after the idle timeout. */
  oidc_checked_at: string | null;
}

/** Invite, vendor and staff-setup links. Only the SHA-256 of a token is stored. */
export interface AccessTokensTable {
  id: string;
  token_hash: string;
  kind: string;
  onboarding_id: string | null;
  staff_id: string | null;
  label: string;
  created_by: string;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
}

/** The httpOnly cookie a link is exchanged for; dies with its link. */
export interface LinkSessionsTable {
  token_hash: string;
  access_token_id: string;
  created_at: string;
  expires_at: string;
}

export interface ChecklistProgressTable {
  onboarding_id: string;
  item_id: string;
  checked: number;
  actor_kind: string;
  actor_label: string;
  updated_at: string;
}

export interface TestRunsTable {
  id: string;
  onboarding_id: string;
  credential_id: string | null;
  /** manual | submission | scheduled | staff */
  trigger: string;
  actor_kind: string;
  actor_label: string;
  /** running | finished | cancelled | interrupted (its process stopped: the heartbeat went stale) */
  status: string;
  outcome: string | null;
  failed_stage: string | null;
  primary_cause: string | null;
  service_account: string;
  test_mailbox: string;
  /** JSON ProbeStep[] — scrubbed of the password by the probe. */
  steps: string;
  log: string;
  /** JSON Finding[] */
  findings: string;
  started_at: string;
  finished_at: string | null;
  elapsed_ms: number | null;
  /** Renewed while the run is in flight; a stale one means its process stopped. */
  heartbeat_at?: string | null;
}

export interface OutboxTable {
  id: string;
  onboarding_id: string | null;
  template: string;
  to_address: string;
  subject: string;
  body: string;
  /** queued | sent */
  status: string;
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}

/** One row per scheduled job: whoever holds an unexpired lease runs it (several app instances on Postgres). */
export interface JobLeasesTable {
  name: string;
  holder: string;
  expires_at: string;
  last_run_at: string | null;
}

/**
 * Submitted service-account credentials. `sealed` is the envelope-encrypted record (lib/crypto/envelope.ts) of
 * the password and copies of the clear fields; null once destroyed. `key_id` mirrors the record's kid for rotation.
 */
export interface CredentialsTable {
  id: string;
  onboarding_id: string;
  track: string;
  service_account: string;
  test_mailbox: string;
  /** null = Autodiscover */
  ews_url: string | null;
  /** "auto" | "ntlm" | "basic" (AUTH_SCHEMES); sealed too */
  auth_scheme: string;
  key_id: string | null;
  sealed: string | null;
  created_by: string;
  created_at: string;
  verified_at: string | null;
  destroyed_at: string | null;
}

/** Bearer tokens for the service API (MoxiEngage sync platform). Only the SHA-256 is stored. */
export interface ServiceTokensTable {
  id: string;
  name: string;
  token_hash: string;
  /** space-separated scopes, e.g. "credentials:read" */
  scope: string;
  created_by: string;
  created_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
}

/** Written only by rate-limiter-flexible (lib/auth/rate-limit.ts); `key` is "<limit>:<sha256 of the subject>". */
export interface MailHostDetectionsTable {
  onboarding_id: string;
  /** The address the detector was asked about (the brokerage contact's, or a test mailbox). */
  address: string;
  host: string;
  track: string | null;
  confidence: string;
  tenant_id: string | null;
  ews_url: string | null;
  /** JSON: { summary, evidence, alsoTracks }; public DNS and Microsoft facts only. */
  detection: string;
  detected_at: string;
}

/** A staff member's request to see one onboarding's credential, and the brokerage's answer (lib/support). */
export interface AccessRequestsTable {
  id: string;
  onboarding_id: string;
  staff_id: string;
  staff_label: string;
  reason: string;
  duration_minutes: number;
  /** requested | approved | declined | revoked | used — "expired" is computed at read time from the dates. */
  status: string;
  /** single-use | time-boxed, once approved */
  mode: string | null;
  requested_at: string;
  request_expires_at: string;
  decided_at: string | null;
  /** The brokerage link's label that answered. */
  decided_by: string | null;
  approved_until: string | null;
  revoked_at: string | null;
  used_at: string | null;
}

/** Every reveal of a stored credential to a person (TechOps break-glass, or support with approval). */
export interface CredentialRevealsTable {
  id: string;
  onboarding_id: string;
  staff_id: string;
  staff_label: string;
  /** techops | staff */
  role: string;
  reason: string;
  request_id: string | null;
  credential_id: string;
  revealed_at: string;
}

export interface RateLimitsTable {
  key: string;
  points: number;
  /** epoch milliseconds (bigint: Postgres returns it as a string) */
  expire: string | number | null;
}

/** Microsoft 365 app access of one onboarding: consent and the graph_app submission (lib/app-access). */
export interface AppAccessTable {
  onboarding_id: string;
  tenant_id: string | null;
  client_id: string | null;
  granted_by_kind: string | null;
  granted_by_label: string | null;
  granted_at: string | null;
  /** When the server first obtained a token for the tenant; the tenant is trusted only from then. */
  trusted_at: string | null;
  /** The failure code of the last token attempt, while untrusted. */
  token_problem: string | null;
  group_name: string | null;
  test_mailbox: string | null;
  out_of_scope_mailbox: string | null;
  submitted_at: string | null;
  verified_at: string | null;
  updated_at: string;
  /** Whose Entra app: "moxiworks" (the multi-tenant app) or "own" (the brokerage's single-tenant app, client_id). */
  registration: Generated<string>;
}

/** Certificates generated for a brokerage's own app registration; the private key sealed, null once destroyed. */
export interface AppCertificatesTable {
  id: string;
  onboarding_id: string;
  certificate_pem: string;
  sealed_key: string | null;
  thumbprint_sha256: string;
  thumbprint_sha1: string;
  not_before: string;
  not_after: string;
  /** pending (generated, not yet shown to work) | active (a test with it passed) | destroyed */
  status: string;
  created_at: string;
  created_by: string;
  verified_at: string | null;
  destroyed_at: string | null;
}

/** A brokerage's own app's client secret (where policy forces one): sealed, a masked hint, its expiry date. */
export interface AppClientSecretsTable {
  onboarding_id: string;
  sealed_secret: string;
  hint: string;
  expires_at: string;
  created_at: string;
  created_by: string;
}

/** One row per client secret expiry date and warning sent (days before expiry: 60, 30, 7). */
export interface AppSecretRemindersTable {
  onboarding_id: string;
  expires_at: string;
  days: number;
  sent_at: string;
}

/** One row per certificate and expiry warning sent (days before expiry: 60, 30, 7). */
export interface AppCertificateRemindersTable {
  certificate_id: string;
  days: number;
  sent_at: string;
}

/** Single-use admin-consent `state` values (SHA-256 only), bound to a link session. */
export interface ConsentStatesTable {
  state_hash: string;
  onboarding_id: string;
  link_session_hash: string;
  link_id: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

/** One agent's address on an onboarding's roster and its latest check outcome (migration 017). */
export interface RosterEntriesTable {
  onboarding_id: string;
  /** The address lower-cased: duplicates and case variants are one entry. */
  address_key: string;
  address: string;
  position: number;
  /** pending | reachable | failed */
  outcome: string;
  /** The Cause (lib/diagnosis/causes.ts) of a failed mailbox, before the roster's scope refinement. */
  cause: string | null;
  failure_code: string | null;
  server_code: string | null;
  /** The check that owns a pending entry / that wrote the outcome. */
  check_id: string | null;
  checked_at: string | null;
}

/** A roster check: a background job under its own lease (migration 017). */
export interface RosterChecksTable {
  id: string;
  onboarding_id: string;
  /** running | done | cancelled | failed */
  state: string;
  /** all | failed | sample (the failed ones and a few reachable ones: the daily re-check) */
  scope: string;
  track: string | null;
  total: number;
  requested_by: string;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  holder: string | null;
  lease_until: string | null;
  cancel_requested: number;
  /** The failure code when the access itself failed (token refused, no EWS URL). */
  access_failure: string | null;
  /** The whole roster's reachable mailboxes and size when the check finished (migration 022; null: not finished). */
  roster_reachable: number | null;
  roster_total: number | null;
}

/** A security incident (migration 026, lib/incidents). */
export interface IncidentsTable {
  id: string;
  name: string;
  reason: string;
  /** JSON: how the members were chosen ({ kind: "all_verified" | "filter" | "list", ... }). */
  selection: string;
  created_by_id: string | null;
  created_by_label: string;
  created_at: string;
  /** After this, a member not yet rotated counts as overdue. */
  due_at: string;
  /** 0: no scheduled reminders. */
  reminder_every_hours: number;
  last_reminded_at: string | null;
  closed_at: string | null;
  closed_by_label: string | null;
  close_note: string | null;
}

export interface IncidentMembersTable {
  incident_id: string;
  onboarding_id: string;
  /** ews_impersonation (the brokerage rotates) | graph_app (MoxiWorks rotates its own app credential). */
  method: string;
  /** pending (not yet notified) | notified | moxiworks (app access: nothing asked) | not_applicable (left verified before notifying). */
  status: string;
  notified_at: string | null;
  reminded_at: string | null;
  reminders: number;
  excepted_reason: string | null;
  excepted_by_label: string | null;
  excepted_at: string | null;
}

/**
 * Counts the dashboard shows, kept in the same transaction as every state change (migration 025,
 * lib/onboarding/tallies.ts): kind "current" = onboardings in the state now, "reached" = onboardings that ever
 * entered it (the funnel).
 */
export interface StateTalliesTable {
  kind: string;
  state: string;
  n: number;
}

export interface Database {
  state_tallies: StateTalliesTable;
  incidents: IncidentsTable;
  incident_members: IncidentMembersTable;
  roster_entries: RosterEntriesTable;
  roster_checks: RosterChecksTable;
  app_access: AppAccessTable;
  app_certificates: AppCertificatesTable;
  app_certificate_reminders: AppCertificateRemindersTable;
  app_client_secrets: AppClientSecretsTable;
  app_secret_reminders: AppSecretRemindersTable;
  consent_states: ConsentStatesTable;
  onboardings: OnboardingsTable;
  events: EventsTable;
  staff_users: StaffUsersTable;
  staff_sessions: StaffSessionsTable;
  access_tokens: AccessTokensTable;
  link_sessions: LinkSessionsTable;
  checklist_progress: ChecklistProgressTable;
  test_runs: TestRunsTable;
  outbox: OutboxTable;
  job_leases: JobLeasesTable;
  credentials: CredentialsTable;
  service_tokens: ServiceTokensTable;
  rate_limits: RateLimitsTable;
  mail_host_detections: MailHostDetectionsTable;
  access_requests: AccessRequestsTable;
  credential_reveals: CredentialRevealsTable;
}

export type { Generated };
