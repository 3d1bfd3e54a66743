import "server-only";
import { z } from "zod";
import { messageFor, statusFor, type ErrorCode } from "@/lib/errors";
import { isSameOriginRequest } from "@/lib/http/origin";

/**
 * The one way a route handler answers: JSON with `Cache-Control: no-store`, errors as
 * `{ error: { code, message, fieldErrors? } }` with the message and HTTP status from the catalogue (lib/errors.ts),
 * never raw exception text. Browsers read `error.message` (and `error.fieldErrors` beside fields), e.g. components/test-run/live-test.tsx.
 */
const NO_STORE = { "Cache-Control": "no-store" } as const;

export type FieldErrors = Record<string, string[]>;
export type ApiErrorBody = { error: { code: ErrorCode; message: string; fieldErrors?: FieldErrors } };

export function respond(body: unknown, init: { status?: number; headers?: Record<string, string> } = {}): Response {
  return Response.json(body, { status: init.status ?? 200, headers: { ...NO_STORE, ...init.headers } });
}

export function apiError(code: ErrorCode, extra: { fieldErrors?: FieldErrors; message?: string; headers?: Record<string, string> } = {}): Response {
  const body: ApiErrorBody = { error: { code, message: extra.message ?? messageFor(code), ...(extra.fieldErrors ? { fieldErrors: extra.fieldErrors } : {}) } };
  return respond(body, { status: statusFor(code), headers: extra.headers });
}

/** The messages per top-level field, for a form to show beside each field (as server actions do, lib/actions/safe.ts). */
export function fieldErrorsOf(error: z.ZodError): FieldErrors {
  return z.flattenError(error).fieldErrors as FieldErrors;
}

export type Parsed<T> = { ok: true; data: T } | { ok: false; response: Response };

/**
 * A state-changing JSON request: same-origin only, at most `maxBytes`, valid JSON, then `parse` (a zod schema's
 * safeParse or any function answering the same shape). Invalid input answers 400 with the field errors.
 */
export async function parseJsonRequest<T>(
  request: Request,
  options: { maxBytes: number; parse: (json: unknown) => { success: true; data: T } | { success: false; error: z.ZodError }; message?: (fieldErrors: FieldErrors) => string | undefined },
): Promise<Parsed<T>> {
  if (!isSameOriginRequest(request.headers)) return { ok: false, response: apiError("cross_site") };
  const raw = await request.text();
  if (raw.length > options.maxBytes) return { ok: false, response: apiError("too_large") };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, response: apiError("invalid_json") };
  }
  const parsed = options.parse(json);
  if (parsed.success) return { ok: true, data: parsed.data };
  const fieldErrors = fieldErrorsOf(parsed.error);
  return { ok: false, response: apiError("invalid_input", { fieldErrors, message: options.message?.(fieldErrors) }) };
}

/**
 * A streamed answer, one JSON object per line. `run` sends events while it works; a browser that goes away does
 * not stop it (the work still finishes and is stored).
 */
export function ndjsonResponse<E>(run: (send: (event: E) => void) => Promise<void>): Response {
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (event: E) => {
        try {
          controller.enqueue(encoder.encode(`${JSON.stringify(event)}\n`));
        } catch {
          /* the browser went away */
        }
      };
      try {
        await run(send);
      } finally {
        try {
          controller.close();
        } catch {
          /* already closed */
        }
      }
    },
  });
  return new Response(stream, { headers: { "Content-Type": "application/x-ndjson; charset=utf-8", ...NO_STORE, "X-Accel-Buffering": "no" } });
}
