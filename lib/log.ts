import "server-only";
import pino from "pino";

/**
 * The one logger. Secrets are removed before anything is written, wherever they sit in the object tree
 * (pino's own `redact` needs fixed paths, which would miss a password nested in a probe step or an error).
 */
const SECRET_KEY = /pass(word|wd)?$|^pwd$|secret|token|authorization|cookie|api[-_]?key|credential/i;
const SECRET_TEXT: [RegExp, string][] = [
  [/\b(Basic|Bearer|NTLM|Negotiate)\s+[A-Za-z0-9+/=._~-]{8,}/g, "$1 [redacted]"],
  [/\b(password|passwd|pwd|token|secret)=([^&\s"']+)/gi, "$1=[redacted]"],
];
export const REDACTED = "[redacted]";

export function redactText(text: string): string {
  return SECRET_TEXT.reduce((t, [re, rep]) => t.replace(re, rep), text);
}

export function redact(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === "string") return redactText(value);
  if (value === null || typeof value !== "object") return value;
  if (seen.has(value) || depth > 12) return "[…]";
  seen.add(value);
  if (value instanceof Error) {
    return { type: value.name, message: redactText(value.message), stack: value.stack && redactText(value.stack) };
  }
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SECRET_KEY.test(k) && v !== null && v !== undefined && v !== "" ? REDACTED : redact(v, depth + 1, seen);
  }
  return out;
}

export function createLogger(options: { level?: string; destination?: pino.DestinationStream } = {}) {
  return pino(
    {
      level: options.level ?? process.env.LOG_LEVEL ?? "info",
      base: undefined,
      formatters: { log: (obj) => redact(obj) as Record<string, unknown> },
      hooks: {
        // Messages are free text; scrub them too.
        logMethod(args, method) {
          method.apply(this, args.map((a) => (typeof a === "string" ? redactText(a) : a)) as Parameters<typeof method>);
        },
      },
    },
    options.destination,
  );
}

export const log = createLogger();
