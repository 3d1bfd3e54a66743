import punycode from "punycode/punycode.js";
import { z } from "zod";
import { TRACKS, type Track } from "@/lib/guide/ids";
import { domainEndsInNumber, hasForbiddenCharacters } from "./text";
import { totpCode } from "./staff";

/**
 * The credential form (service-account track). ONE schema: the browser runs it through react-hook-form's
 * zodResolver and the server action runs it again on the FormData (client validation is not a control).
 * Each field reports one specific message — the first rule it breaks — and no message ever quotes the input,
 * so a password can never travel back inside an error.
 */

export const PASSWORD_MAX = 256;

/**
 * How the connection test and the sync sign in to EWS. "auto": Basic first, NTLM when the server's 401 offers
 * NTLM and not Basic; "ntlm": Windows authentication only (the password never goes over Basic); "basic": Basic only.
 */
export const AUTH_SCHEMES = ["auto", "ntlm", "basic"] as const;
export type AuthScheme = (typeof AUTH_SCHEMES)[number];
export function isAuthScheme(value: unknown): value is AuthScheme {
  return typeof value === "string" && (AUTH_SCHEMES as readonly string[]).includes(value);
}
export const AUTH_SCHEME_LABELS: Record<AuthScheme, string> = {
  auto: "Automatic (Basic if the server offers it, otherwise NTLM)",
  ntlm: "NTLM (Windows authentication; Exchange Server)",
  basic: "Basic authentication",
};
export const ADDRESS_MAX = 254;
export const EWS_URL_MAX = 2048;

// Unicode tricks. Control characters include NUL and line breaks (a pasted trailing newline).
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const NUL = /\u0000/;
// Invisible, zero-width or formatting characters that copy-paste picks up (soft hyphen, ZWSP/ZWNJ/ZWJ, word joiner, BOM…).
const INVISIBLE = /[\u00ad\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200d\u2060-\u2064\u3164\ufe00-\ufe0f\ufeff]/;
// Text-direction controls, e.g. U+202E RIGHT-TO-LEFT OVERRIDE, which can make "moc.liam@…" read as something else.
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const WHITESPACE = /\s/u;

// RFC 5322 dot-atom, ASCII only (Exchange/Active Directory UPNs and SMTP addresses are ASCII before the @).
const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const ASCII_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/i;

/**
 * Scripts a domain label may combine, after UTS #39 "highly restrictive": one script, or Latin with the CJK
 * sets that are written together. Latin+Cyrillic or Latin+Greek in one label is the homoglyph trick
 * ("contоso" with a Cyrillic о) and is refused.
 */
const SCRIPTS: [string, RegExp][] = [
  ["Latin", /\p{Script=Latin}/u],
  ["Cyrillic", /\p{Script=Cyrillic}/u],
  ["Greek", /\p{Script=Greek}/u],
  ["Armenian", /\p{Script=Armenian}/u],
  ["Han", /\p{Script=Han}/u],
  ["Hiragana", /\p{Script=Hiragana}/u],
  ["Katakana", /\p{Script=Katakana}/u],
  ["Hangul", /\p{Script=Hangul}/u],
  ["Bopomofo", /\p{Script=Bopomofo}/u],
];
const ALLOWED_SCRIPT_MIXES = [
  ["Latin", "Han", "Hiragana", "Katakana"],
  ["Latin", "Han", "Bopomofo"],
  ["Latin", "Han", "Hangul"],
];

function scriptsOf(label: string): Set<string> {
  const found = new Set<string>();
  for (const ch of label) {
    if (!/\p{L}/u.test(ch)) continue;
    const script = SCRIPTS.find(([, re]) => re.test(ch));
    found.add(script ? script[0] : "Other");
  }
  return found;
}

/** True when some label of the host mixes scripts in a way that only a look-alike trick would. */
export function hasMixedScripts(host: string): boolean {
  return host.split(".").some((label) => {
    const scripts = [...scriptsOf(label)];
    if (scripts.length <= 1) return false;
    return !ALLOWED_SCRIPT_MIXES.some((mix) => scripts.every((s) => mix.includes(s)));
  });
}

/**
 * The host as people read it: labels typed in their ASCII form (`xn--…`) decoded, so a look-alike cannot pass
 * the mixed-script check by arriving as punycode. Undefined when an `xn--` label does not decode.
 * (punycode.js, not Node's deprecated built-in: this module also runs in the browser.)
 */
function readableHost(host: string): string | undefined {
  try {
    return punycode.toUnicode(host.toLowerCase());
  } catch {
    return undefined;
  }
}

/** The ASCII (punycode) form of a host via WHATWG URL — the same in the browser and in Node. */
function asciiHost(host: string): string | undefined {
  try {
    return new URL(`https://${host}/`).hostname;
  } catch {
    return undefined;
  }
}

/** `downLevel`: DOMAIN\\user is accepted too (the service account on Exchange Server signs in with it over NTLM or Basic). */
type AddressWords = { empty: string; example: string; name: string; downLevel?: boolean };

// NetBIOS domain: 1–15 characters; sAMAccountName: 1–20, none of " / \ [ ] : ; | = , + * ? < > @ (Active Directory's rules).
const NETBIOS_DOMAIN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,14}$/;
const SAM_ACCOUNT = /^[^"/\\[\]:;|=,+*?<>@\s]{1,20}$/u;

function downLevelProblem(value: string): string | undefined {
  const [domain, user] = value.split("\\") as [string, string];
  if (!NETBIOS_DOMAIN.test(domain)) return "The domain before the \\ must be the NetBIOS domain name: up to 15 letters, digits, dots, hyphens or underscores (like CONTOSO\\svc-moxiengage).";
  if (!SAM_ACCOUNT.test(user)) return "The user name after the \\ must be the account's pre-Windows 2000 name: up to 20 characters, without \" / [ ] : ; | = , + * ? < > @.";
  return undefined;
}

/** The first problem with an email-style address, in words for this field; undefined when it is fine. */
function addressProblem(raw: string, w: AddressWords): string | undefined {
  // Tricks are looked for before trimming: String.trim() would silently drop a BOM or a line separator.
  const value = raw.trim();
  if (value.length === 0 && !INVISIBLE.test(raw)) return w.empty;
  if (value.length > ADDRESS_MAX) return `The ${w.name} is too long: use at most ${ADDRESS_MAX} characters.`;
  if (NUL.test(raw)) return `The ${w.name} contains a NUL character. Type it again by hand rather than pasting.`;
  if (CONTROL.test(raw)) return `The ${w.name} contains a line break or another control character. Type it again by hand.`;
  if (INVISIBLE.test(raw)) {
    return `The ${w.name} contains an invisible character (such as a zero-width space), often picked up when copying. Type it again by hand.`;
  }
  if (BIDI.test(raw)) {
    return `The ${w.name} contains a text-direction control character (such as a right-to-left override), which can disguise what it says. Type it again by hand.`;
  }
  if (/[\u2028\u2029]/.test(raw)) return `The ${w.name} contains a line break. Type it again by hand.`;
  if (WHITESPACE.test(value)) return `Remove the spaces from the ${w.name}.`;
  if (/^[^@\\]+\\[^@\\]+$/.test(value)) {
    if (w.downLevel) return downLevelProblem(value);
    return `Use the sign-in address form (name@domain, like ${w.example}), not DOMAIN\\user.`;
  }
  const at = value.lastIndexOf("@");
  if (at < 0 || value.indexOf("@") !== at) return `Enter the full ${w.name} with one @, like ${w.example}.`;
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  if (!local) return `Enter the part before the @, like ${w.example}.`;
  if (!domain) return `Enter the domain after the @, like ${w.example}.`;
  if (local.length > 64) return `The part before the @ is too long: use at most 64 characters.`;
  if (!LOCAL_PART.test(local)) {
    return `The part before the @ can use unaccented letters, digits and . _ - + ' only, with no dot at the start or end or two dots in a row.`;
  }
  const readable = readableHost(domain);
  if (readable === undefined) return `The domain after the @ is not valid: use letters, digits, hyphens and dots, like ${w.example.split("@")[1]}.`;
  if (hasMixedScripts(readable)) {
    return `The domain mixes letters from different alphabets (for example a Cyrillic "о" that looks like a Latin "o"). Type the domain again by hand.`;
  }
  // Letters (any script), digits and hyphens between dots; then the ASCII (punycode) form must be a DNS name.
  const ascii = /^[\p{L}\p{M}\p{N}-]+(?:\.[\p{L}\p{M}\p{N}-]+)+$/u.test(domain) ? asciiHost(domain) : undefined;
  const labels = ascii?.split(".") ?? [];
  if (labels.length < 2 || !labels.every((l) => ASCII_LABEL.test(l)) || domainEndsInNumber(ascii!)) {
    return `The domain after the @ is not valid: use letters, digits, hyphens and dots, like ${w.example.split("@")[1]}.`;
  }
  return undefined;
}

function ewsUrlProblem(raw: string): string | undefined {
  const value = raw.trim();
  if (value.length > EWS_URL_MAX) return `The EWS URL is too long: use at most ${EWS_URL_MAX} characters.`;
  if (CONTROL.test(raw) || /[\u2028\u2029]/.test(raw)) return "The EWS URL contains a line break or another control character. Type it again by hand.";
  if (INVISIBLE.test(raw)) return "The EWS URL contains an invisible character (such as a zero-width space). Type it again by hand.";
  if (BIDI.test(raw)) return "The EWS URL contains a text-direction control character (such as a right-to-left override). Type it again by hand.";
  if (WHITESPACE.test(value)) return "Remove the spaces from the EWS URL.";
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "Enter a full address like https://mail.yourdomain.com/EWS/Exchange.asmx, or leave it empty to use Autodiscover.";
  }
  if (url.protocol === "http:") return "The EWS URL must start with https:// — the password is never sent over plain http.";
  if (url.protocol !== "https:") return "The EWS URL must start with https://, like https://mail.yourdomain.com/EWS/Exchange.asmx.";
  if (url.username || url.password || /^https:\/\/[^/?#]*@/i.test(value)) {
    return "Remove the user name or password from the EWS URL; enter them in their own fields.";
  }
  const rawHost = /^https:\/\/([^/?#:]+)/i.exec(value)?.[1] ?? "";
  const readable = readableHost(rawHost);
  if (readable === undefined) return "The EWS URL's server name is not valid. Type it again, like https://mail.yourdomain.com/EWS/Exchange.asmx.";
  if (hasMixedScripts(readable)) {
    return `The EWS URL's server name mixes letters from different alphabets (for example a Cyrillic "о" that looks like a Latin "o"). Type it again by hand.`;
  }
  if (!url.pathname.toLowerCase().endsWith("/ews/exchange.asmx")) {
    return "The EWS URL must end with /EWS/Exchange.asmx (the Exchange Web Services address, not Outlook on the web).";
  }
  if (url.search || url.hash) return "Remove the part after ? or # from the EWS URL: it must end with /EWS/Exchange.asmx.";
  return undefined;
}

function passwordProblem(value: string): string | undefined {
  // Never trimmed: leading or trailing spaces can be part of a real password.
  if (value.length === 0) return "Enter the service account's password.";
  if (value.length > PASSWORD_MAX) return `The password is too long: use at most ${PASSWORD_MAX} characters.`;
  if (NUL.test(value)) return "The password contains a NUL character, which Exchange cannot accept. Paste or type it again.";
  if (CONTROL.test(value)) return "The password contains a line break or another control character, probably picked up when pasting. Paste or type it again.";
  if (INVISIBLE.test(value)) {
    return "The password contains an invisible character (such as a zero-width space), probably picked up when copying. Type it again by hand.";
  }
  if (BIDI.test(value)) return "The password contains a text-direction control character (such as a right-to-left override). Type it again by hand.";
  return undefined;
}

/** A string field whose refinement adds the one message from `problem` (given the raw input), then maybe trims. */
function checked(missing: string, problem: (raw: string) => string | undefined, trim = true) {
  return z
    .string({ message: missing })
    .superRefine((raw, ctx) => {
      const message = problem(raw);
      if (message) ctx.addIssue({ code: "custom", message });
    })
    .transform((v) => (trim ? v.trim() : v));
}

const SERVICE_ACCOUNT_WORDS: AddressWords = {
  name: "service account address",
  empty: "Enter the service account's sign-in address, like svc-moxiengage@yourdomain.com (or DOMAIN\\user on Exchange Server).",
  example: "svc-moxiengage@yourdomain.com",
  downLevel: true,
};
const TEST_MAILBOX_WORDS: AddressWords = {
  name: "test mailbox address",
  empty: "Enter the address of a regular user's mailbox to test with, like jane.agent@yourdomain.com.",
  example: "jane.agent@yourdomain.com",
};

export const SAME_MAILBOX_MESSAGE =
  "The test mailbox must be a regular user's mailbox, not the service account itself: impersonation is tested on another user.";

/** The connection details without the track: what the test form, the credential form and the probe share. */
const connectionFields = {
  serviceAccount: checked(SERVICE_ACCOUNT_WORDS.empty, (v) => addressProblem(v, SERVICE_ACCOUNT_WORDS)),
  password: checked("Enter the service account's password.", passwordProblem, false),
  testMailbox: checked(TEST_MAILBOX_WORDS.empty, (v) => addressProblem(v, TEST_MAILBOX_WORDS)),
  ewsUrl: z
    .string({ message: "Enter the EWS URL, or leave it empty to use Autodiscover." })
    .optional()
    .superRefine((raw, ctx) => {
      const message = raw === undefined || (raw.trim() === "" && !INVISIBLE.test(raw)) ? undefined : ewsUrlProblem(raw);
      if (message) ctx.addIssue({ code: "custom", message });
    })
    .transform((v) => v?.trim() || undefined),
  authScheme: z.enum(AUTH_SCHEMES, { message: "Choose how the service account signs in: automatic, NTLM or Basic." }).default("auto"),
};

/** True when the two addresses name the same mailbox (case and surrounding spaces do not count). */
export function sameMailbox(serviceAccount: string, testMailbox: string): boolean {
  const a = serviceAccount.trim().toLowerCase();
  return a !== "" && a === testMailbox.trim().toLowerCase();
}

/** Impersonating yourself proves nothing, so the test mailbox must be another user's (both forms and the probe). */
function refuseSameMailbox(data: { serviceAccount: string; testMailbox: string }, ctx: z.RefinementCtx) {
  if (sameMailbox(data.serviceAccount, data.testMailbox)) {
    ctx.addIssue({ code: "custom", path: ["testMailbox"], message: SAME_MAILBOX_MESSAGE });
  }
}

/**
 * What the connection test runs with: the one schema for the test's typed-in details (browser and
 * `/api/test-runs`), the probe CLI, and — with the track — the credential form. The probe takes its output.
 */
export const connectionDetailsSchema = z.strictObject(connectionFields).superRefine(refuseSameMailbox);
/** Parsed connection details: addresses trimmed, password as typed, empty EWS URL → Autodiscover. */
export type ConnectionDetails = { serviceAccount: string; password: string; testMailbox: string; ewsUrl?: string | undefined; authScheme?: AuthScheme | undefined };

/** The workspace's one connection form when it runs the test: the same fields, the track (asked earlier) not needed. */
export const connectionTestFormSchema = z.object(connectionFields).superRefine(refuseSameMailbox);

export const credentialFormSchema = z
  .object({ ...connectionFields, track: z.enum(TRACKS, { message: "Choose where your mailboxes are hosted." }) })
  .superRefine(refuseSameMailbox);

/** What the form holds (all strings). */
export type CredentialFormInput = z.input<typeof credentialFormSchema>;
/** What the server action receives after validation. */
export type CredentialFormData = { serviceAccount: string; password: string; testMailbox: string; ewsUrl: string | undefined; authScheme: AuthScheme; track: Track };

// Keep the inferred outputs and the documented types in step.
const _check: (v: z.output<typeof credentialFormSchema>) => CredentialFormData = (v) => v;
const _checkDetails: (v: z.output<typeof connectionDetailsSchema>) => ConnectionDetails = (v) => v;
void _check;
void _checkDetails;

export const CREDENTIAL_FIELD_LABELS: Record<keyof CredentialFormData, string> = {
  serviceAccount: "Service account address",
  password: "Service account password",
  testMailbox: "Test mailbox address",
  ewsUrl: "EWS URL (optional)",
  authScheme: "How the service account signs in",
  track: "Where your mailboxes are hosted",
};

/** TechOps reveal: re-authentication (password + TOTP) and a written reason, for one onboarding. */
export const revealSchema = z.object({
  onboardingId: z.string({ message: "Unknown onboarding." }).regex(/^[0-9a-z]{26}$/, "Unknown onboarding."),
  password: z.string({ message: "Enter your own password." }).min(1, "Enter your own password.").max(PASSWORD_MAX, "That password is too long."),
  code: totpCode,
  reason: z
    .string({ message: "Say why you need to see this password." })
    .trim()
    .min(10, "Say why you need to see this password, in at least 10 characters (for example a ticket number and purpose).")
    .max(500, "Keep the reason under 500 characters.")
    .refine((v) => !hasForbiddenCharacters(v.replace(/\r\n?/g, "\n"), { multiline: true }), "Remove invisible or control characters from the reason."),
});
export type RevealFormData = z.output<typeof revealSchema>;

/**
 * The same form for a TechOps member signed in with the company's identity provider: no password here. The code
 * is required only when the sign-in carried no fresh MFA (the action decides; an empty field is "none given").
 */
export const revealSsoSchema = revealSchema.omit({ password: true, code: true }).extend({
  code: z.union([z.literal(""), totpCode]).optional(),
});
