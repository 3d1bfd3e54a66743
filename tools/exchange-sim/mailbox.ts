/**
 * In-memory mailboxes for the simulator: the distinguished folders of an Exchange mailbox and the items in them,
 * created on first use with a few seed contacts, events and messages. Ids are opaque base64 like Exchange's, but
 * carry the mailbox and folder so a FolderId the simulator handed out can be read back.
 */
import { randomBytes } from "node:crypto";

export type ItemKind = "Contact" | "CalendarItem" | "Message";

export type SimItem = {
  id: string;
  changeKey: string;
  kind: ItemKind;
  folder: string;
  itemClass: string;
  subject: string;
  body?: { type: string; text: string };
  created: string;
  // Contact
  displayName?: string;
  givenName?: string;
  surname?: string;
  companyName?: string;
  email?: string;
  // CalendarItem
  start?: string;
  end?: string;
  location?: string;
  isAllDay?: boolean;
  // Message
  from?: string;
  to?: string[];
  sent?: string;
  isRead?: boolean;
};

type FolderDef = { element: "Folder" | "ContactsFolder" | "CalendarFolder" | "TasksFolder"; name: string; folderClass?: string; parent?: string };

/** The distinguished folders every simulated mailbox has (DistinguishedFolderIdNameType values). */
export const FOLDER_DEFS: Record<string, FolderDef> = {
  root: { element: "Folder", name: "" },
  msgfolderroot: { element: "Folder", name: "Top of Information Store", folderClass: "IPF.Note", parent: "root" },
  inbox: { element: "Folder", name: "Inbox", folderClass: "IPF.Note", parent: "msgfolderroot" },
  drafts: { element: "Folder", name: "Drafts", folderClass: "IPF.Note", parent: "msgfolderroot" },
  sentitems: { element: "Folder", name: "Sent Items", folderClass: "IPF.Note", parent: "msgfolderroot" },
  deleteditems: { element: "Folder", name: "Deleted Items", folderClass: "IPF.Note", parent: "msgfolderroot" },
  outbox: { element: "Folder", name: "Outbox", folderClass: "IPF.Note", parent: "msgfolderroot" },
  junkemail: { element: "Folder", name: "Junk Email", folderClass: "IPF.Note", parent: "msgfolderroot" },
  contacts: { element: "ContactsFolder", name: "Contacts", folderClass: "IPF.Contact", parent: "msgfolderroot" },
  calendar: { element: "CalendarFolder", name: "Calendar", folderClass: "IPF.Appointment", parent: "msgfolderroot" },
  tasks: { element: "TasksFolder", name: "Tasks", folderClass: "IPF.Task", parent: "msgfolderroot" },
  notes: { element: "Folder", name: "Notes", folderClass: "IPF.StickyNote", parent: "msgfolderroot" },
  journal: { element: "Folder", name: "Journal", folderClass: "IPF.Journal", parent: "msgfolderroot" },
};

/** Distinguished ids the EWS schema knows that these mailboxes do not have (answered ErrorFolderNotFound). */
export const ABSENT_DISTINGUISHED = new Set([
  "publicfoldersroot", "searchfolders", "voicemail", "recoverableitemsroot", "recoverableitemsdeletions", "recoverableitemsversions",
  "recoverableitemspurges", "archiveroot", "archivemsgfolderroot", "archivedeleteditems", "archiveinbox", "archiverecoverableitemsroot",
  "archiverecoverableitemsdeletions", "archiverecoverableitemsversions", "archiverecoverableitemspurges", "syncissues", "conflicts",
  "localfailures", "serverfailures", "recipientcache", "quickcontacts", "conversationhistory", "adminauditlogs", "todosearch", "mycontacts",
  "directory", "imcontactlist", "peopleconnect", "favorites",
]);

/** The folder an item of this kind goes to when CreateItem names none. */
export const DEFAULT_FOLDER: Record<ItemKind, string> = { Contact: "contacts", CalendarItem: "calendar", Message: "drafts" };

export type Mailbox = { address: string; displayName: string; items: Map<string, SimItem> };

const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");

export function folderIdFor(address: string, folder: string): string {
  return `AAMk${b64(`F|${address}|${folder}`)}`;
}

/** Reads back a FolderId this simulator issued: { address, folder }, or undefined for anything else. */
export function parseFolderId(id: string): { address: string; folder: string } | undefined {
  if (!id.startsWith("AAMk")) return undefined;
  const parts = Buffer.from(id.slice(4), "base64").toString("utf8").split("|");
  return parts.length === 3 && parts[0] === "F" && FOLDER_DEFS[parts[2]!] ? { address: parts[1]!, folder: parts[2]! } : undefined;
}

/** An ItemId is well-formed when it decodes like the ones this simulator issues (anything else: ErrorInvalidIdMalformed). */
export function isWellFormedItemId(id: string): boolean {
  if (!id.startsWith("AAMk")) return false;
  return Buffer.from(id.slice(4), "base64").toString("utf8").startsWith("I|");
}

function titleCase(local: string): string {
  return local
    .split(/[._-]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join(" ");
}

const isoSeconds = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "Z");

export class MailboxStore {
  private mailboxes = new Map<string, Mailbox>();

  get(address: string): Mailbox {
    const key = address.toLowerCase();
    let mb = this.mailboxes.get(key);
    if (!mb) {
      mb = { address: key, displayName: titleCase(key.split("@")[0] ?? key) || key, items: new Map() };
      this.mailboxes.set(key, mb);
      this.seed(mb);
    }
    return mb;
  }

  has(address: string): boolean {
    return this.mailboxes.has(address.toLowerCase());
  }

  all(): Mailbox[] {
    return [...this.mailboxes.values()];
  }

  newItem(mb: Mailbox, fields: Omit<SimItem, "id" | "changeKey" | "created"> & { created?: string }): SimItem {
    const item: SimItem = {
      ...fields,
      id: `AAMk${b64(`I|${mb.address}|${randomBytes(9).toString("hex")}`)}`,
      changeKey: `CQAAABYAAA${randomBytes(3).toString("hex")}`,
      created: fields.created ?? isoSeconds(new Date()),
    };
    mb.items.set(item.id, item);
    return item;
  }

  /** Finds an item by id in any mailbox (an id names its mailbox). */
  item(id: string): { mailbox: Mailbox; item: SimItem } | undefined {
    for (const mb of this.mailboxes.values()) {
      const item = mb.items.get(id);
      if (item) return { mailbox: mb, item };
    }
    return undefined;
  }

  inFolder(mb: Mailbox, folder: string): SimItem[] {
    return [...mb.items.values()].filter((i) => i.folder === folder);
  }

  /** Two contacts, two events today and tomorrow, one message in the Inbox: enough for a view to show something. */
  private seed(mb: Mailbox): void {
    const day = new Date();
    day.setUTCHours(0, 0, 0, 0);
    const at = (days: number, hours: number) => isoSeconds(new Date(day.getTime() + days * 86_400_000 + hours * 3_600_000));
    const created = at(-7, 9);
    this.newItem(mb, { kind: "Contact", folder: "contacts", itemClass: "IPM.Contact", subject: "Pat Buyer", displayName: "Pat Buyer", givenName: "Pat", surname: "Buyer", email: "pat.buyer@example.com", created });
    this.newItem(mb, { kind: "Contact", folder: "contacts", itemClass: "IPM.Contact", subject: "Sam Seller", displayName: "Sam Seller", givenName: "Sam", surname: "Seller", companyName: "Seller Homes", email: "sam.seller@example.com", created });
    this.newItem(mb, { kind: "CalendarItem", folder: "calendar", itemClass: "IPM.Appointment", subject: "Showing: 12 Elm Street", start: at(0, 15), end: at(0, 16), location: "12 Elm Street", created });
    this.newItem(mb, { kind: "CalendarItem", folder: "calendar", itemClass: "IPM.Appointment", subject: "Closing: 4 Oak Lane", start: at(1, 17), end: at(1, 18), location: "Title office", created });
    this.newItem(mb, { kind: "Message", folder: "inbox", itemClass: "IPM.Note", subject: "Welcome to your mailbox", from: "postmaster@example.com", to: [mb.address], sent: created, isRead: false, body: { type: "Text", text: "Hello." }, created });
  }
}
