/**
 * The EWS operations MoxiEngage uses, answered from in-memory mailboxes (mailbox.ts) the way Exchange answers
 * them: GetFolder, FindItem (IndexedPageItemView paging, CalendarView, a subject restriction, sort order),
 * GetItem, CreateItem (contact, calendar item, message with MessageDisposition), DeleteItem and ResolveNames.
 * Response shapes follow Microsoft's EWS reference (docs/web-service-reference/*-operation.md in
 * MicrosoftDocs/office-developer-exchange-docs): one response message per requested id, per-message errors with
 * HTTP 200 and ResponseClass="Error"; error texts are Exchange's own.
 * Per-operation scenarios (read-only contacts or calendar, calendar denied, send denied, mailbox full, items
 * that vanish) answer the operation they restrict and nothing else.
 */
import { frontEndHeaders, soapFault, xmlEscape, type SimResponse } from "./responses";
import { ABSENT_DISTINGUISHED, DEFAULT_FOLDER, FOLDER_DEFS, folderIdFor, isWellFormedItemId, parseFolderId, type ItemKind, type Mailbox, type MailboxStore, type SimItem } from "./mailbox";
import type { ScenarioName } from "./scenarios";
import { child, childrenNamed, childText, find, parseXml, type XmlElement } from "./xml";

const M = "http://schemas.microsoft.com/exchange/services/2006/messages";
const T = "http://schemas.microsoft.com/exchange/services/2006/types";
const EWS_HEADER = `<s:Header><h:ServerVersionInfo MajorVersion="15" MinorVersion="20" MajorBuildNumber="8005" MinorBuildNumber="15" Version="V2018_01_08" xmlns:h="${T}" xmlns="${T}" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/></s:Header>`;

/** Exchange's MessageText for each response code the simulator returns. */
export const EWS_ERRORS = {
  ErrorAccessDenied: "Access is denied. Check credentials and try again.",
  ErrorSendAsDenied: "The user account which was used to submit this request does not have the right to send mail on behalf of the specified sending account.",
  ErrorQuotaExceeded: "Mailbox has exceeded maximum mailbox size.",
  ErrorItemNotFound: "The specified object was not found in the store.",
  ErrorFolderNotFound: "The specified folder could not be found in the store.",
  ErrorInvalidIdMalformed: "Id is malformed.",
  ErrorNameResolutionNoResults: "No results were found.",
} as const;
type EwsErrorCode = keyof typeof EWS_ERRORS;

export type EwsContext = { store: MailboxStore; mailbox: string; scenario: ScenarioName };

class OpError {
  constructor(readonly code: EwsErrorCode) {}
}

function envelope(operation: string, messages: string[]): SimResponse {
  return {
    status: 200,
    headers: { ...frontEndHeaders(), "Content-Type": "text/xml; charset=utf-8" },
    body: `<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/">${EWS_HEADER}<s:Body xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"><m:${operation}Response xmlns:m="${M}" xmlns:t="${T}"><m:ResponseMessages>${messages.join("")}</m:ResponseMessages></m:${operation}Response></s:Body></s:Envelope>`,
  };
}

const success = (operation: string, inner = "") => `<m:${operation}ResponseMessage ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode>${inner}</m:${operation}ResponseMessage>`;
const error = (operation: string, code: EwsErrorCode, empty = "") =>
  `<m:${operation}ResponseMessage ResponseClass="Error"><m:MessageText>${xmlEscape(EWS_ERRORS[code])}</m:MessageText><m:ResponseCode>${code}</m:ResponseCode><m:DescriptiveLinkKey>0</m:DescriptiveLinkKey>${empty}</m:${operation}ResponseMessage>`;

const el = (name: string, value: string | undefined) => (value === undefined ? "" : `<t:${name}>${xmlEscape(value)}</t:${name}>`);
const mailboxXml = (address: string, name?: string) => `<t:Mailbox>${el("Name", name ?? address)}${el("EmailAddress", address)}<t:RoutingType>SMTP</t:RoutingType><t:MailboxType>Mailbox</t:MailboxType></t:Mailbox>`;

// ---- what the scenarios forbid -------------------------------------------------------------------------

type Access = "read" | "write";

function denial(scenario: ScenarioName, folder: string, access: Access): EwsErrorCode | undefined {
  if (scenario === "calendar-denied" && folder === "calendar") return "ErrorAccessDenied";
  if (access === "write" && scenario === "calendar-read-only" && folder === "calendar") return "ErrorAccessDenied";
  if (access === "write" && scenario === "contacts-read-only" && folder === "contacts") return "ErrorAccessDenied";
  return undefined;
}

// ---- folders -------------------------------------------------------------------------------------------

/** A FolderId or DistinguishedFolderId element → { mailbox, folder }; the Mailbox child names another mailbox (delegate access). */
function resolveFolder(ctx: EwsContext, ref: XmlElement): { mb: Mailbox; folder: string } {
  if (ref.name === "FolderId") {
    const parsed = parseFolderId(ref.attrs.Id ?? "");
    if (!parsed) throw new OpError("ErrorInvalidIdMalformed");
    return { mb: ctx.store.get(parsed.address), folder: parsed.folder };
  }
  const id = (ref.attrs.Id ?? "").toLowerCase();
  const address = childText(child(ref, "Mailbox"), "EmailAddress") || ctx.mailbox;
  if (FOLDER_DEFS[id]) return { mb: ctx.store.get(address), folder: id };
  throw new OpError(ABSENT_DISTINGUISHED.has(id) ? "ErrorFolderNotFound" : "ErrorInvalidIdMalformed");
}

function folderRefs(container: XmlElement | undefined): XmlElement[] {
  return (container?.children ?? []).filter((c) => c.name === "FolderId" || c.name === "DistinguishedFolderId");
}

function folderXml(ctx: EwsContext, mb: Mailbox, folder: string): string {
  const def = FOLDER_DEFS[folder]!;
  const items = ctx.store.inFolder(mb, folder);
  const children = Object.values(FOLDER_DEFS).filter((d) => d.parent === folder).length;
  const unread = def.element === "Folder" ? `<t:UnreadCount>${items.filter((i) => i.kind === "Message" && !i.isRead).length}</t:UnreadCount>` : "";
  return `<t:${def.element}><t:FolderId Id="${folderIdFor(mb.address, folder)}" ChangeKey="AQAAABYAAAA"/>${def.parent ? `<t:ParentFolderId Id="${folderIdFor(mb.address, def.parent)}" ChangeKey="AQAAAA=="/>` : ""}${el("FolderClass", def.folderClass)}<t:DisplayName>${xmlEscape(def.name)}</t:DisplayName><t:TotalCount>${items.length}</t:TotalCount><t:ChildFolderCount>${children}</t:ChildFolderCount>${unread}</t:${def.element}>`;
}

function getFolder(ctx: EwsContext, op: XmlElement): SimResponse {
  const refs = folderRefs(child(op, "FolderIds"));
  const messages = (refs.length ? refs : [{ name: "DistinguishedFolderId", attrs: { Id: "inbox" }, children: [], text: "" }]).map((ref) => {
    try {
      const { mb, folder } = resolveFolder(ctx, ref);
      const denied = denial(ctx.scenario, folder, "read");
      if (denied) return error("GetFolder", denied, "<m:Folders/>");
      return success("GetFolder", `<m:Folders>${folderXml(ctx, mb, folder)}</m:Folders>`);
    } catch (e) {
      if (e instanceof OpError) return error("GetFolder", e.code, "<m:Folders/>");
      throw e;
    }
  });
  return envelope("GetFolder", messages);
}

// ---- items ---------------------------------------------------------------------------------------------

function itemXml(mb: Mailbox, item: SimItem, idOnly: boolean): string {
  const id = `<t:ItemId Id="${item.id}" ChangeKey="${item.changeKey}"/>`;
  if (idOnly) return `<t:${item.kind}>${id}</t:${item.kind}>`;
  const common =
    `${id}<t:ParentFolderId Id="${folderIdFor(mb.address, item.folder)}" ChangeKey="AQAAAA=="/>${el("ItemClass", item.itemClass)}${el("Subject", item.subject)}` +
    (item.body ? `<t:Body BodyType="${item.body.type === "HTML" ? "HTML" : "Text"}">${xmlEscape(item.body.text)}</t:Body>` : "") +
    (item.kind === "Message" ? el("DateTimeReceived", item.sent ?? item.created) : "") +
    `<t:Size>${256 + (item.body?.text.length ?? 0)}</t:Size><t:Importance>Normal</t:Importance>` +
    (item.kind === "Message" ? `<t:IsSubmitted>false</t:IsSubmitted><t:IsDraft>${item.sent ? "false" : "true"}</t:IsDraft>${el("DateTimeSent", item.sent)}` : "") +
    el("DateTimeCreated", item.created) +
    `<t:HasAttachments>false</t:HasAttachments><t:LastModifiedTime>${item.created}</t:LastModifiedTime>`;
  if (item.kind === "Contact") {
    return `<t:Contact>${common}${el("FileAs", item.displayName)}${el("DisplayName", item.displayName)}${el("GivenName", item.givenName)}${el("CompanyName", item.companyName)}${item.email ? `<t:EmailAddresses><t:Entry Key="EmailAddress1">${xmlEscape(item.email)}</t:Entry></t:EmailAddresses>` : ""}${el("Surname", item.surname)}</t:Contact>`;
  }
  if (item.kind === "CalendarItem") {
    return `<t:CalendarItem>${common}${el("Start", item.start)}${el("End", item.end)}<t:IsAllDayEvent>${item.isAllDay ? "true" : "false"}</t:IsAllDayEvent><t:LegacyFreeBusyStatus>Busy</t:LegacyFreeBusyStatus>${el("Location", item.location)}<t:IsMeeting>false</t:IsMeeting><t:IsCancelled>false</t:IsCancelled><t:IsRecurring>false</t:IsRecurring><t:MeetingRequestWasSent>false</t:MeetingRequestWasSent><t:CalendarItemType>Single</t:CalendarItemType><t:MyResponseType>Organizer</t:MyResponseType><t:Organizer>${mailboxXml(mb.address, mb.displayName)}</t:Organizer></t:CalendarItem>`;
  }
  const from = item.from ?? mb.address;
  return `<t:Message>${common}<t:Sender>${mailboxXml(from)}</t:Sender>${item.to?.length ? `<t:ToRecipients>${item.to.map((a) => mailboxXml(a)).join("")}</t:ToRecipients>` : ""}<t:IsReadReceiptRequested>false</t:IsReadReceiptRequested><t:From>${mailboxXml(from)}</t:From><t:IsRead>${item.isRead ? "true" : "false"}</t:IsRead></t:Message>`;
}

const idOnlyShape = (op: XmlElement) => childText(child(op, "ItemShape"), "BaseShape") === "IdOnly" && !child(child(op, "ItemShape"), "AdditionalProperties");

const timeOf = (s: string | undefined) => (s ? Date.parse(s) : NaN);

/** The subject test of a Restriction (IsEqualTo or Contains on item:Subject); other restrictions are not modelled. */
function restrictionFilter(restriction: XmlElement | undefined): ((i: SimItem) => boolean) | undefined {
  const test = find(restriction, "IsEqualTo") ?? find(restriction, "Contains");
  if (!test || find(test, "FieldURI")?.attrs.FieldURI !== "item:Subject") return undefined;
  const value = find(test, "Constant")?.attrs.Value ?? "";
  if (test.name === "IsEqualTo") return (i) => i.subject.toLowerCase() === value.toLowerCase();
  return (i) => i.subject.toLowerCase().includes(value.toLowerCase());
}

const SORT_FIELDS: Record<string, (i: SimItem) => number | string> = {
  "item:DateTimeCreated": (i) => timeOf(i.created),
  "item:DateTimeSent": (i) => timeOf(i.sent ?? i.created),
  "item:DateTimeReceived": (i) => timeOf(i.sent ?? i.created),
  "calendar:Start": (i) => timeOf(i.start),
  "item:Subject": (i) => i.subject.toLowerCase(),
};

function findItem(ctx: EwsContext, op: XmlElement): SimResponse {
  const messages = folderRefs(child(op, "ParentFolderIds")).map((ref) => {
    try {
      const { mb, folder } = resolveFolder(ctx, ref);
      const denied = denial(ctx.scenario, folder, "read");
      if (denied) return error("FindItem", denied);
      let items = ctx.store.inFolder(mb, folder);
      const filter = restrictionFilter(child(op, "Restriction"));
      if (filter) items = items.filter(filter);
      // Newest first unless a SortOrder says otherwise; a calendar view is in start order.
      items.sort((a, b) => timeOf(b.created) - timeOf(a.created));
      const calendarView = child(op, "CalendarView");
      const order = find(child(op, "SortOrder"), "FieldOrder");
      const key = SORT_FIELDS[find(order, "FieldURI")?.attrs.FieldURI ?? ""];
      if (calendarView) {
        const start = timeOf(calendarView.attrs.StartDate);
        const end = timeOf(calendarView.attrs.EndDate);
        items = items.filter((i) => i.kind === "CalendarItem" && timeOf(i.end) > start && timeOf(i.start) < end).sort((a, b) => timeOf(a.start) - timeOf(b.start));
      } else if (key) {
        const dir = order!.attrs.Order === "Descending" ? -1 : 1;
        items.sort((a, b) => (key(a) < key(b) ? -dir : key(a) > key(b) ? dir : 0));
      }
      const total = items.length;
      let page = items;
      let offsetAttr = "";
      let last = true;
      const indexed = child(op, "IndexedPageItemView");
      if (indexed) {
        const max = Math.max(0, Number(indexed.attrs.MaxEntriesReturned ?? total) || total);
        const offset = Math.max(0, Number(indexed.attrs.Offset ?? 0) || 0);
        const fromEnd = indexed.attrs.BasePoint === "End";
        page = fromEnd ? items.slice(Math.max(0, total - offset - max), total - offset) : items.slice(offset, offset + max);
        offsetAttr = ` IndexedPagingOffset="${offset + page.length}"`;
        last = offset + page.length >= total;
      } else if (calendarView?.attrs.MaxEntriesReturned) {
        page = items.slice(0, Number(calendarView.attrs.MaxEntriesReturned) || total);
        last = page.length >= total;
      }
      const idOnly = idOnlyShape(op);
      return success("FindItem", `<m:RootFolder${offsetAttr} TotalItemsInView="${total}" IncludesLastItemInRange="${last}"><t:Items>${page.map((i) => itemXml(mb, i, idOnly)).join("")}</t:Items></m:RootFolder>`);
    } catch (e) {
      if (e instanceof OpError) return error("FindItem", e.code);
      throw e;
    }
  });
  return envelope("FindItem", messages);
}

function itemIds(op: XmlElement): string[] {
  return childrenNamed(child(op, "ItemIds"), "ItemId").map((i) => i.attrs.Id ?? "");
}

function lookup(ctx: EwsContext, id: string, access: Access): { mb: Mailbox; item: SimItem } {
  if (!isWellFormedItemId(id)) throw new OpError("ErrorInvalidIdMalformed");
  const found = ctx.store.item(id);
  if (!found) throw new OpError("ErrorItemNotFound");
  const denied = denial(ctx.scenario, found.item.folder, access);
  if (denied) throw new OpError(denied);
  return { mb: found.mailbox, item: found.item };
}

function getItem(ctx: EwsContext, op: XmlElement): SimResponse {
  const idOnly = idOnlyShape(op);
  return envelope(
    "GetItem",
    itemIds(op).map((id) => {
      try {
        const { mb, item } = lookup(ctx, id, "read");
        return success("GetItem", `<m:Items>${itemXml(mb, item, idOnly)}</m:Items>`);
      } catch (e) {
        if (e instanceof OpError) return error("GetItem", e.code, "<m:Items/>");
        throw e;
      }
    }),
  );
}

function deleteItem(ctx: EwsContext, op: XmlElement): SimResponse {
  const deleteType = op.attrs.DeleteType ?? "MoveToDeletedItems";
  return envelope(
    "DeleteItem",
    itemIds(op).map((id) => {
      try {
        const { mb, item } = lookup(ctx, id, "write");
        if (deleteType === "MoveToDeletedItems" && item.folder !== "deleteditems") item.folder = "deleteditems";
        else mb.items.delete(item.id);
        return success("DeleteItem");
      } catch (e) {
        if (e instanceof OpError) return error("DeleteItem", e.code);
        throw e;
      }
    }),
  );
}

function addresses(container: XmlElement | undefined): string[] {
  return childrenNamed(container, "Mailbox")
    .map((m) => childText(m, "EmailAddress") ?? "")
    .filter(Boolean);
}

function isoOf(text: string | undefined): string | undefined {
  const t = timeOf(text);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function fieldsOf(node: XmlElement): Omit<SimItem, "id" | "changeKey" | "created" | "folder"> {
  const kind = node.name as ItemKind;
  const bodyEl = child(node, "Body");
  const body = bodyEl ? { type: bodyEl.attrs.BodyType ?? "Text", text: bodyEl.text } : undefined;
  const subject = childText(node, "Subject") ?? "";
  if (kind === "Contact") {
    const given = childText(node, "GivenName");
    const surname = childText(node, "Surname");
    const display = childText(node, "DisplayName") ?? childText(node, "FileAs") ?? ([given, surname].filter(Boolean).join(" ") || subject);
    const email = childrenNamed(child(node, "EmailAddresses"), "Entry").find((e) => e.attrs.Key === "EmailAddress1")?.text.trim();
    return { kind, itemClass: "IPM.Contact", subject: subject || display, body, displayName: display, givenName: given, surname, companyName: childText(node, "CompanyName"), email };
  }
  if (kind === "CalendarItem") {
    return { kind, itemClass: "IPM.Appointment", subject, body, start: isoOf(childText(node, "Start")), end: isoOf(childText(node, "End")), location: childText(node, "Location"), isAllDay: childText(node, "IsAllDayEvent") === "true" };
  }
  return { kind, itemClass: childText(node, "ItemClass") ?? "IPM.Note", subject, body, to: addresses(child(node, "ToRecipients")), from: childText(child(node, "From"), "EmailAddress"), isRead: childText(node, "IsRead") === "true" };
}

function createItem(ctx: EwsContext, op: XmlElement): SimResponse {
  const disposition = op.attrs.MessageDisposition;
  const savedRef = folderRefs(child(op, "SavedItemFolderId"))[0];
  const nodes = (child(op, "Items")?.children ?? []).filter((c) => c.name === "Contact" || c.name === "CalendarItem" || c.name === "Message");
  return envelope(
    "CreateItem",
    nodes.map((node) => {
      try {
        const fields = fieldsOf(node);
        const sends = fields.kind === "Message" && (disposition === "SendOnly" || disposition === "SendAndSaveCopy");
        const saved = savedRef ? resolveFolder(ctx, savedRef) : undefined;
        const mb = saved?.mb ?? ctx.store.get(ctx.mailbox);
        const folder = sends ? (saved?.folder === "drafts" || !saved ? "sentitems" : saved.folder) : (saved?.folder ?? DEFAULT_FOLDER[fields.kind]);
        const denied = denial(ctx.scenario, folder, "write");
        if (denied) throw new OpError(denied);
        if (ctx.scenario === "mailbox-full") throw new OpError("ErrorQuotaExceeded");
        if (sends && ctx.scenario === "send-denied") throw new OpError("ErrorSendAsDenied");
        if (ctx.scenario === "item-not-found") {
          // Something (a retention policy, another sync) removes each item as soon as it is saved.
          const gone = `AAMk${Buffer.from(`I|${mb.address}|gone-${Date.now()}`).toString("base64")}`;
          return success("CreateItem", sends ? "<m:Items/>" : `<m:Items><t:${fields.kind}><t:ItemId Id="${gone}" ChangeKey="CQAAAA=="/></t:${fields.kind}></m:Items>`);
        }
        if (!sends) {
          const item = ctx.store.newItem(mb, { ...fields, folder });
          return success("CreateItem", `<m:Items>${itemXml(mb, item, true)}</m:Items>`);
        }
        const sent = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
        const from = fields.from ?? mb.address;
        if (disposition === "SendAndSaveCopy" && ctx.scenario !== "sent-copy-missing") ctx.store.newItem(mb, { ...fields, from, folder, sent, isRead: true });
        for (const rcpt of fields.to ?? []) ctx.store.newItem(ctx.store.get(rcpt), { ...fields, from, folder: "inbox", sent, isRead: false });
        return success("CreateItem", "<m:Items/>"); // a sent message's id is not returned (createitem-operation-email-message.md)
      } catch (e) {
        if (e instanceof OpError) return error("CreateItem", e.code, "<m:Items/>");
        throw e;
      }
    }),
  );
}

function resolveNames(ctx: EwsContext, op: XmlElement): SimResponse {
  const entry = (childText(op, "UnresolvedEntry") ?? "").replace(/^smtp:/i, "").toLowerCase();
  const candidates = [ctx.store.get(ctx.mailbox), ...ctx.store.all()];
  const hit = entry
    ? candidates.find((mb) => mb.address === entry || mb.address.split("@")[0] === entry || mb.displayName.toLowerCase() === entry)
    : undefined;
  if (!hit) return envelope("ResolveNames", [error("ResolveNames", "ErrorNameResolutionNoResults")]);
  const contact =
    op.attrs.ReturnFullContactData === "true"
      ? `<t:Contact><t:DisplayName>${xmlEscape(hit.displayName)}</t:DisplayName><t:EmailAddresses><t:Entry Key="EmailAddress1">SMTP:${xmlEscape(hit.address)}</t:Entry></t:EmailAddresses><t:ContactSource>ActiveDirectory</t:ContactSource></t:Contact>`
      : "";
  return envelope("ResolveNames", [success("ResolveNames", `<m:ResolutionSet TotalItemsInView="1" IncludesLastItemInRange="true"><t:Resolution>${mailboxXml(hit.address, hit.displayName)}${contact}</t:Resolution></m:ResolutionSet>`)]);
}

const OPERATIONS: Record<string, (ctx: EwsContext, op: XmlElement) => SimResponse> = {
  GetFolder: getFolder,
  FindItem: findItem,
  GetItem: getItem,
  CreateItem: createItem,
  DeleteItem: deleteItem,
  ResolveNames: resolveNames,
};

/** Answers one EWS request body (impersonation and authentication already settled by the server). */
export function answerEws(ctx: EwsContext, body: string): SimResponse {
  let doc: XmlElement;
  try {
    doc = parseXml(body);
  } catch {
    return soapFault("ErrorSchemaValidation", "The request failed schema validation: Data at the root level is invalid.");
  }
  const soapBody = child(doc, "Body");
  const op = soapBody?.children[0];
  if (!op) return soapFault("ErrorSchemaValidation", "The request failed schema validation: the SOAP body is empty.");
  const handler = OPERATIONS[op.name];
  if (!handler) return soapFault("ErrorInvalidRequest", `The request is invalid: the simulator does not implement ${op.name}.`);
  return handler(ctx, op);
}
