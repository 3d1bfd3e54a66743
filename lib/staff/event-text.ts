import { TRACK_LABELS, type Track } from "@/lib/guide/ids";
import { STATE_LABELS, isState } from "@/lib/onboarding/lifecycle";

/**
 * Events in words, for the staff timeline and the audit log. Pure: the caller passes a lookup for checklist
 * item labels (the guide owns those), so an unknown id still reads sensibly.
 */
export const EVENT_TYPE_LABELS: Record<string, string> = {
  created: "Onboarding created",
  state_changed: "State changed",
  track_chosen: "Mail system chosen",
  checklist: "Checklist",
  link_created: "Link created",
  link_extended: "Link extended",
  link_revoked: "Link turned off",
  contact_note: "Contact recorded",
  staff_note: "Staff note",
  test_run: "Connection test",
  links_revoked: "All links turned off",
  credential_submitted: "Service account submitted",
  credentials_destroyed: "Credentials destroyed",
  credential_revealed: "Credential revealed",
  credential_reveal_refused: "Credential reveal refused",
  credential_api_read: "Credential read by MoxiEngage",
  service_token_created: "Service token created",
  service_token_revoked: "Service token revoked",
  key_rotated: "Encryption keys rotated",
  verification_ended: "Verification ended without a verdict",
  support_access_requested: "Support access requested",
  support_access_approved: "Support access approved",
  support_access_declined: "Support access declined",
  support_access_revoked: "Support access revoked",
  own_app_chosen: "Own app registration chosen",
  own_app_saved: "Own app tenant and client ID saved",
  app_certificate_generated: "App certificate generated",
  app_certificate_verified: "App certificate in use (a test with it passed)",
  app_certificate_destroyed: "App certificate's private key destroyed",
  app_certificate_expiry_reminder: "App certificate expiry reminder sent",
  own_app_secret_saved: "Own app client secret saved (sealed)",
  own_app_secret_removed: "Own app client secret removed",
  app_secret_expiry_reminder: "App client secret expiry reminder sent",
  break_glass_sign_in: "Break-glass password sign-in (TechOps)",
  break_glass_refused: "Password sign-in refused (staff sign in with the identity provider)",
  incident_opened: "Security incident opened",
  incident_renewal_requested: "Security incident: a new app certificate asked for",
  incident_open_refused: "Security incident refused (re-authentication failed)",
  incident_batch_notified: "Security incident: brokerages notified",
  incident_reminder_sent: "Security incident: reminder sent",
  incident_member_excepted: "Security incident: brokerage excepted",
  incident_app_rotation_recorded: "Security incident: MoxiWorks's app rotation recorded",
  incident_exported: "Security incident exported",
  incident_closed: "Security incident closed",
};

const ACTOR_KIND_LABELS: Record<string, string> = {
  staff: "MoxiWorks staff",
  techops: "MoxiWorks TechOps",
  brokerage: "Brokerage",
  vendor: "Email vendor",
  system: "System",
};

export function actorKindLabel(kind: string): string {
  return ACTOR_KIND_LABELS[kind] ?? kind;
}

/**
 * Who did it, with what they are: "Tess (MoxiWorks TechOps)". Staff actors are recorded with their role in the
 * label already, so the kind is added only when the label does not end with it (it read "(MoxiWorks TechOps)
 * (MoxiWorks TechOps)"); a label that is the kind itself ("System") is not repeated either.
 */
export function actorText(actor: { label: string; kind: string }): string {
  const kind = actorKindLabel(actor.kind);
  const label = actor.label.trim();
  if (!label || label === kind) return kind;
  return label.toLowerCase().endsWith(`(${kind.toLowerCase()})`) ? label : `${label} (${kind})`;
}

export const CONTACT_CHANNELS = ["email", "phone", "meeting", "other"] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];
export const CONTACT_CHANNEL_LABELS: Record<ContactChannel, string> = { email: "Email", phone: "Phone call", meeting: "Meeting", other: "Other" };

export type EventLike = {
  type: string;
  fromState: string | null;
  toState: string | null;
  reason: string;
  details: Record<string, unknown>;
};

function text(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() ? value : undefined;
}

function stateLabel(value: unknown): string {
  return isState(value) ? STATE_LABELS[value] : String(value ?? "—");
}

function day(value: unknown): string {
  const s = text(value);
  return s ? s.slice(0, 10) : "—";
}

function linkName(details: Record<string, unknown>) {
  const kind = details.kind === "brokerage" ? "Brokerage link" : details.kind === "vendor" ? "Vendor link" : "Link";
  const label = text(details.label);
  return label ? `${kind} “${label}”` : kind;
}

export function eventTypeLabel(type: string): string {
  return EVENT_TYPE_LABELS[type] ?? type.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase());
}

/** A one-line summary and, where there is one, a longer body (a note's text). */
export function describeEvent(event: EventLike, itemLabel: (id: string) => string = (id) => id): { summary: string; body?: string } {
  const d = event.details;
  switch (event.type) {
    case "created":
      return { summary: "Onboarding created" };
    case "state_changed":
      return { summary: `State changed from ${stateLabel(event.fromState)} to ${stateLabel(event.toState)}` };
    case "track_chosen": {
      const track = text(d.track);
      return { summary: `Mail system chosen: ${track && track in TRACK_LABELS ? TRACK_LABELS[track as Track] : (track ?? "—")}` };
    }
    case "checklist": {
      const item = text(d.itemId) ? itemLabel(d.itemId as string) : "an item";
      return { summary: `${d.checked === true ? "Ticked" : "Unticked"} “${item}”` };
    }
    case "link_created":
      return { summary: `${linkName(d)} created, expires ${day(d.expiresAt)}` };
    case "link_extended":
      return { summary: `${linkName(d)} extended to ${day(d.expiresAt)}` };
    case "link_revoked":
      return { summary: `${linkName(d)} turned off` };
    case "contact_note": {
      const channel = text(d.channel);
      const channelLabel = channel && channel in CONTACT_CHANNEL_LABELS ? CONTACT_CHANNEL_LABELS[channel as ContactChannel] : "Contact";
      return { summary: `Contact recorded: ${channelLabel.toLowerCase()}`, body: text(d.note) };
    }
    case "staff_note":
      return { summary: "Staff note", body: text(d.note) };
    case "test_run": {
      const outcome = text(d.outcome) ?? "finished";
      const cause = text(d.primaryCause);
      return { summary: `Connection test ${outcome}${cause ? ` (likely cause: ${cause.replace(/_/g, " ")})` : ""}` };
    }
    case "verification_ended": {
      // Cancelled (the stream was closed) or interrupted (its process stopped): no verdict, state put back.
      const why = d.reason === "interrupted" ? "interrupted: its process stopped" : d.reason === "cancelled" ? "cancelled" : "ended";
      return { summary: `Verification ${why}; no verdict, back to ${stateLabel(event.toState)}` };
    }
    case "links_revoked": {
      const n = Array.isArray(d.linkIds) ? d.linkIds.length : 0;
      return { summary: `All links turned off${n ? ` (${n})` : ""}` };
    }
    case "credential_submitted": {
      const account = text(d.serviceAccount);
      return { summary: `Service account submitted${account ? `: ${account}` : ""}` };
    }
    case "credentials_destroyed": {
      const n = Array.isArray(d.credentialIds) ? d.credentialIds.length : 0;
      return { summary: `Stored credentials destroyed${n ? ` (${n})` : ""}` };
    }
    case "credential_revealed": {
      const account = text(d.serviceAccount);
      return { summary: `Credential revealed${account ? ` for ${account}` : ""}` };
    }
    case "credential_reveal_refused":
      return { summary: `Credential reveal refused${text(d.why) ? `: ${text(d.why)!.replace(/_/g, " ")}` : ""}` };
    case "service_token_created":
    case "service_token_revoked": {
      const name = text(d.name);
      return { summary: `Service token${name ? ` “${name}”` : ""} ${event.type === "service_token_created" ? "created" : "revoked"}` };
    }
    case "break_glass_sign_in":
    case "break_glass_refused":
      return { summary: EVENT_TYPE_LABELS[event.type]! };
    default: {
      const transition = event.toState ? ` → ${stateLabel(event.toState)}` : "";
      // An event type this module does not know yet: show its plain fields rather than nothing.
      const pairs = Object.entries(d)
        .filter(([, v]) => ["string", "number", "boolean"].includes(typeof v))
        .map(([k, v]) => `${k}: ${String(v).slice(0, 200)}`);
      return { summary: `${eventTypeLabel(event.type)}${transition}`, body: pairs.length ? pairs.join("; ") : undefined };
    }
  }
}
