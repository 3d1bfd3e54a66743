import "server-only";
import {
  Appointment,
  BodyType,
  CalendarView,
  Contact,
  DateTime,
  DateTimeKind,
  DeleteMode,
  EmailMessage,
  FolderId,
  ItemSchema,
  ItemView,
  MessageBody,
  SearchFilter,
  SendCancellationsMode,
  SendInvitationsMode,
  TimeZoneInfo,
  ServiceError,
  ServiceResponseException,
  WellKnownFolderName,
  type ExchangeService,
} from "ews-javascript-api";
import { classifyEwsError, serviceFor, type EwsTarget } from "./ews";
import { clause, failure, type Failure, type FailureCode } from "./failures";
import type { HttpClient, RecordedExchange } from "./http-client";
import { createRecordingXhrApi, type RecordingXhrApi } from "./recording-xhr";

/**
 * What the sync does with a mailbox, tried once each as the impersonated test mailbox after the folders opened:
 * list one contact, create and delete a contact, read today's calendar view, create and delete an event without
 * sending invitations, and (only when asked) send one message to the mailbox itself and find it in Sent Items.
 * The checks that do not depend on each other run at the same time; each delete waits only for its create.
 * Each check's failure names what the service account can and cannot do, with the next thing to check.
 */
export type ItemCheckId = "list-contact" | "write-contact" | "view-calendar" | "write-event" | "send-message" | "find-sent";

export type ItemCheckResult = { ok: boolean; result: string; failure?: Failure; details: string[]; exchanges: RecordedExchange[] };

/** The subject of the test message; the guidance and the Sent Items search use it. */
export const TEST_MESSAGE_SUBJECT = "MoxiEngage connection test";

const GUIDANCE: Partial<Record<FailureCode, string>> = {
  contacts_read_denied:
    "The sync reads each agent's contacts. Make sure the impersonation role assignment covers this mailbox (its management scope) and that no folder permission removes the mailbox owner's own access to Contacts.",
  contacts_write_denied:
    "The service account can read contacts but not create or delete them: the sync writes contacts back. Check that the impersonation role assignment is not limited to read access and that Contacts has no permission or retention setting that blocks changes.",
  calendar_read_denied:
    "The sync reads each agent's calendar. Make sure the impersonation role assignment covers this mailbox and that the Calendar folder's permissions have not been restricted.",
  calendar_write_denied:
    "The service account can read the calendar but not create or delete events: the sync creates appointments. Check the Calendar folder's permissions and any calendar processing or retention setting on the mailbox.",
  send_denied:
    "The sync sends mail as the agent. Grant the service account the right to send from the agent's mailbox (impersonation normally includes it; a Send As restriction or a transport rule can remove it).",
  mailbox_full:
    "The test mailbox is over its storage quota, so nothing new can be saved or sent. Free up space or raise the mailbox's quota (ProhibitSendQuota / ProhibitSendReceiveQuota), then test again.",
  item_vanished:
    "An item the test had just created was already gone when it tried to delete it. Something removes new items at once — a retention policy, a transport or journaling rule, or another sync tool — and it will remove what the sync writes too.",
  sent_copy_missing:
    "The message was accepted but no copy appeared in Sent Items. Check whether saving sent items is turned off for the mailbox or a rule moves them; the sync relies on finding what it sent.",
};

function errorName(code: ServiceError): string {
  return (ServiceError as unknown as Record<number, string>)[code] ?? String(code);
}

/** Thrown when the delete after a successful create failed, to say so ("delete the contact it had just created"). */
class WhileDeleting {
  constructor(
    readonly what: string,
    readonly error: unknown,
  ) {}
}
const SENT_COPY_MISSING = Symbol("sent copy missing");

/** The per-check failure: EWS's own answer read as what the account can or cannot do; anything else as ews.ts classifies it. */
function checkFailure(thrown: unknown, xhr: RecordingXhrApi, host: string, action: string, denied: FailureCode): Failure {
  const deleting = thrown instanceof WhileDeleting;
  const what = deleting ? thrown.what : action;
  const e = deleting ? thrown.error : thrown;
  if (e === SENT_COPY_MISSING) return failure("sent_copy_missing", `The test message was sent, but no message with its subject was in Sent Items. ${GUIDANCE.sent_copy_missing}`);
  if (e instanceof ServiceResponseException) {
    const name = errorName(e.ErrorCode);
    const said = `EWS answered ${name} when the test tried to ${what}: ${clause(e.Message)}.`;
    const code: FailureCode =
      name === "ErrorQuotaExceeded" ? "mailbox_full" : name === "ErrorItemNotFound" && deleting ? "item_vanished" : denied;
    return failure(code, `${said} ${GUIDANCE[code] ?? ""}`.trim(), { code: name });
  }
  return classifyEwsError(e, xhr, host);
}

type Check = (svc: ExchangeService) => Promise<{ result: string; details?: string[] }>;

async function runCheck(client: HttpClient, target: EwsTarget, purpose: string, what: string, denied: FailureCode, check: Check): Promise<ItemCheckResult> {
  const xhr = createRecordingXhrApi(client, purpose);
  const host = new URL(target.ewsUrl).host;
  try {
    const { result, details = [] } = await check(serviceFor(target, xhr, TimeZoneInfo.Utc));
    return { ok: true, result, details, exchanges: xhr.exchanges };
  } catch (e) {
    const f = checkFailure(e, xhr, host, what, denied);
    return { ok: false, result: f.message, failure: f, details: [], exchanges: xhr.exchanges };
  }
}

const utc = (ms: number) => new DateTime(ms, DateTimeKind.Utc);

function todayUtc(now: Date): { start: number; end: number } {
  const start = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return { start, end: start + 86_400_000 };
}

export type ItemChecksOptions = { sendTestMessage: boolean; now?: Date; onDone?: (id: ItemCheckId, r: ItemCheckResult) => void };

/**
 * Runs the checks: round one has the reads, the two creates and the send at once; round two the two deletes and
 * the Sent Items search. A create that failed skips its delete (reported in the create's check).
 */
export async function runItemChecks(client: HttpClient, target: EwsTarget, options: ItemChecksOptions): Promise<Record<ItemCheckId, ItemCheckResult | undefined>> {
  const now = options.now ?? new Date();
  const day = todayUtc(now);
  const stamp = now.toISOString().replace(/\.\d{3}Z$/, "Z");
  const results: Record<ItemCheckId, ItemCheckResult | undefined> = { "list-contact": undefined, "write-contact": undefined, "view-calendar": undefined, "write-event": undefined, "send-message": undefined, "find-sent": undefined };
  const done = (id: ItemCheckId, r: ItemCheckResult) => {
    results[id] = r;
    options.onDone?.(id, r);
    return r;
  };
  const subject = `${TEST_MESSAGE_SUBJECT} ${stamp}`;

  const listContact = runCheck(client, target, "ews-finditem-contacts", "list the contacts", "contacts_read_denied", async (svc) => {
    const found = await svc.FindItems(WellKnownFolderName.Contacts, new ItemView(1));
    const n = found.TotalCount;
    return { result: `Listed the contacts of ${target.testMailbox}: ${n} contact${n === 1 ? "" : "s"} in the folder.` };
  }).then((r) => done("list-contact", r));

  const viewCalendar = runCheck(client, target, "ews-finditem-calendar", "read today's calendar", "calendar_read_denied", async (svc) => {
    const view = new CalendarView(utc(day.start), utc(day.end), 50);
    const found = await svc.FindAppointments(WellKnownFolderName.Calendar, view);
    const n = found.Items.length;
    return { result: `Read today's calendar view of ${target.testMailbox}: ${n} event${n === 1 ? "" : "s"}.` };
  }).then((r) => done("view-calendar", r));

  // Create, then delete: one check, two round trips. The delete is HardDelete so nothing is left in Deleted Items.
  const writeContact = runCheck(client, target, "ews-createitem-contact", "create a contact", "contacts_write_denied", async (svc) => {
    const c = new Contact(svc);
    c.GivenName = "MoxiEngage";
    c.Surname = "Connection test";
    c.DisplayName = `MoxiEngage connection test ${stamp}`;
    await c.Save(new FolderId(WellKnownFolderName.Contacts));
    await c.Delete(DeleteMode.HardDelete).catch((e: unknown) => {
      throw new WhileDeleting("delete the contact it had just created", e);
    });
    return { result: `Created and deleted a contact in ${target.testMailbox}.` };
  });

  const writeEvent = runCheck(client, target, "ews-createitem-calendar", "create an event", "calendar_write_denied", async (svc) => {
    const a = new Appointment(svc);
    a.Subject = `MoxiEngage connection test ${stamp}`;
    a.Start = utc(day.start + 23 * 3_600_000);
    a.End = utc(day.start + 23 * 3_600_000 + 15 * 60_000);
    await a.Save(new FolderId(WellKnownFolderName.Calendar), SendInvitationsMode.SendToNone);
    await a.Delete(DeleteMode.HardDelete, SendCancellationsMode.SendToNone).catch((e: unknown) => {
      throw new WhileDeleting("delete the event it had just created", e);
    });
    return { result: `Created and deleted an event in ${target.testMailbox} without sending invitations.` };
  });

  const send = options.sendTestMessage
    ? runCheck(client, target, "ews-createitem-message", "send a message", "send_denied", async (svc) => {
        const m = new EmailMessage(svc);
        m.Subject = subject;
        m.Body = new MessageBody(BodyType.Text, "This message was sent by the MoxiEngage connection test to check that the sync can send mail from this mailbox. You can delete it.");
        m.ToRecipients.Add(target.testMailbox);
        await m.SendAndSaveCopy();
        return { result: `Sent "${subject}" from ${target.testMailbox} to itself.` };
      }).then((r) => done("send-message", r))
    : undefined;

  const writes = [writeContact.then((r) => done("write-contact", r)), writeEvent.then((r) => done("write-event", r))];
  const [sent] = await Promise.all([send, listContact, viewCalendar, ...writes]);

  if (sent?.ok) {
    // Exchange saves the copy when the message is submitted; a short retry covers a slow transport, but only when
    // this search can still decide the verdict (every other check passed).
    const attempts = Object.values(results).every((r) => !r || r.ok) ? 3 : 1;
    await runCheck(client, target, "ews-finditem-sentitems", "find the test message in Sent Items", "sent_copy_missing", async (svc) => {
      for (let attempt = 0; attempt < attempts; attempt++) {
        const found = await svc.FindItems(WellKnownFolderName.SentItems, new SearchFilter.IsEqualTo(ItemSchema.Subject, subject), new ItemView(1));
        if (found.TotalCount > 0) return { result: `Found "${subject}" in Sent Items.` };
        if (attempt + 1 < attempts) await new Promise((r) => setTimeout(r, 500));
      }
      throw SENT_COPY_MISSING;
    }).then((r) => done("find-sent", r));
  }
  return results;
}
