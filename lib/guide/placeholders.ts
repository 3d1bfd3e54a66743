// Placeholders in guide commands, filled with what the reader typed once at the top of the guide.
// The seed writes the service account as "{email address}"; that spelling is kept in its commands.

export interface PlaceholderValues {
  serviceAccount: string;
  testMailbox: string;
  /** App-access track: MoxiWorks's app id (from the server), the agents' group, the mailbox that must stay out of reach. */
  appId?: string;
  group?: string;
  outOfScopeMailbox?: string;
}

export const PLACEHOLDERS = ["{service account}", "{email address}", "{test mailbox}", "{domain}", "{app id}", "{group}", "{out-of-reach mailbox}"] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

const PATTERN = /\{(service account|email address|test mailbox|domain|app id|group|out-of-reach mailbox)\}/g;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A group name safe inside the guide's single-quoted PowerShell strings: letters, digits, space, - _ . only. */
export function looksLikeGroupName(value: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/.test(value.trim());
}

/** A plain e-mail address check, enough to refuse pasting a command or a sentence into the field. */
export function looksLikeEmail(value: string): boolean {
  return /^[^\s@{}"'`;|&<>]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/.test(value.trim());
}

function valueFor(name: string, values: PlaceholderValues): string {
  const service = values.serviceAccount.trim();
  const test = values.testMailbox.trim();
  switch (name) {
    case "service account":
    case "email address":
      return looksLikeEmail(service) ? service : "";
    case "test mailbox":
      return looksLikeEmail(test) ? test : "";
    case "app id":
      return GUID.test(values.appId?.trim() ?? "") ? values.appId!.trim() : "";
    case "group":
      return looksLikeGroupName(values.group ?? "") ? values.group!.trim() : "";
    case "out-of-reach mailbox":
      return looksLikeEmail(values.outOfScopeMailbox ?? "") ? values.outOfScopeMailbox!.trim() : "";
    case "domain": {
      const from = looksLikeEmail(service) ? service : looksLikeEmail(test) ? test : "";
      return from.split("@")[1] ?? "";
    }
    default:
      return "";
  }
}

export type CommandPart = { kind: "text"; text: string } | { kind: "placeholder"; name: Placeholder; value: string };

/** Splits a command into text and placeholders (value "" when the reader has not typed one yet). */
export function commandParts(code: string, values: PlaceholderValues): CommandPart[] {
  const parts: CommandPart[] = [];
  let last = 0;
  for (const match of code.matchAll(PATTERN)) {
    const index = match.index ?? 0;
    if (index > last) parts.push({ kind: "text", text: code.slice(last, index) });
    parts.push({ kind: "placeholder", name: match[0] as Placeholder, value: valueFor(match[1] ?? "", values) });
    last = index + match[0].length;
  }
  if (last < code.length) parts.push({ kind: "text", text: code.slice(last) });
  return parts;
}

/** Parts back into text: each placeholder the reader has a value for replaced, the others as written. */
export function joinParts(parts: CommandPart[]): string {
  return parts.map((p) => (p.kind === "text" ? p.text : p.value || p.name)).join("");
}

/** The command with every placeholder the reader has a value for replaced; the others stay as written. */
export function fillPlaceholders(code: string, values: PlaceholderValues): string {
  return joinParts(commandParts(code, values));
}

export function hasPlaceholders(code: string): boolean {
  return new RegExp(PATTERN.source).test(code);
}
