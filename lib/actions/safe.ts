import "server-only";
import { headers } from "next/headers";
import { z } from "zod";
import { db } from "@/lib/db";
import type { Database } from "@/lib/db/schema";
import type { Kysely } from "kysely";
import { currentLinkSession, currentStaff } from "@/lib/auth/request";
import type { LinkKind, LinkSession } from "@/lib/auth/links";
import type { StaffSession } from "@/lib/auth/staff";
import { isSameOriginRequest } from "@/lib/http/origin";
import { log } from "@/lib/log";
import { messageFor, type ErrorCode } from "@/lib/errors";
import { TransitionError } from "@/lib/onboarding/store";
import type { ActionState } from "./state";

/**
 * The one wrapper for server actions: same-origin check, authentication, authorisation, validation with the
 * form's own zod schema, and errors mapped through the catalogue. Handlers only see valid data.
 */
export function fail(code: ErrorCode): ActionState<never> {
  return { status: "error", code, message: messageFor(code) };
}

function formValues(formData: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of formData.entries()) {
    if (key.startsWith("$ACTION")) continue;
    if (typeof value !== "string") continue;
    out[key] = key in out ? ([] as unknown[]).concat(out[key], value) : value;
  }
  return out;
}

async function run<S extends z.ZodType, T>(
  schema: S,
  formData: FormData,
  handler: (data: z.infer<S>) => Promise<ActionState<T>>,
): Promise<ActionState<T>> {
  const parsed = schema.safeParse(formValues(formData));
  if (!parsed.success) {
    return { status: "invalid", message: messageFor("invalid_input"), fieldErrors: z.flattenError(parsed.error).fieldErrors as Record<string, string[]> };
  }
  try {
    return await handler(parsed.data);
  } catch (error) {
    if (error instanceof TransitionError) return fail(error.code === "not_allowed" ? "forbidden" : error.code);
    // redirect()/notFound() throw control-flow errors that Next must see.
    if (error && typeof error === "object" && "digest" in error) throw error;
    log.error({ err: error }, "server action failed");
    return fail("internal");
  }
}

type StaffContext = { staff: StaffSession; db: Kysely<Database> };

export function staffAction<S extends z.ZodType, T = unknown>(
  schema: S,
  handler: (data: z.infer<S>, ctx: StaffContext) => Promise<ActionState<T>>,
  options: { role?: "techops" } = {},
) {
  return async (_prev: ActionState<T>, formData: FormData): Promise<ActionState<T>> => {
    if (!isSameOriginRequest(await headers())) return fail("cross_site");
    const staff = await currentStaff();
    if (!staff || !staff.secondFactorDone) return fail("not_signed_in");
    if (options.role === "techops" && staff.staff.role !== "techops") return fail("forbidden");
    const database = await db();
    return run(schema, formData, (data) => handler(data, { staff, db: database }));
  };
}

type WorkspaceContext = { visitor: LinkSession; db: Kysely<Database> };

export function workspaceAction<S extends z.ZodType, T = unknown>(
  schema: S,
  handler: (data: z.infer<S>, ctx: WorkspaceContext) => Promise<ActionState<T>>,
  options: { kinds?: LinkKind[] } = {},
) {
  return async (_prev: ActionState<T>, formData: FormData): Promise<ActionState<T>> => {
    if (!isSameOriginRequest(await headers())) return fail("cross_site");
    const visitor = await currentLinkSession(options.kinds);
    if (!visitor) return fail("not_signed_in");
    const database = await db();
    return run(schema, formData, (data) => handler(data, { visitor, db: database }));
  };
}

/** Actions that need no session (sign-in, setup); still same-origin and validated. */
export function publicAction<S extends z.ZodType, T = unknown>(
  schema: S,
  handler: (data: z.infer<S>, ctx: { db: Kysely<Database> }) => Promise<ActionState<T>>,
) {
  return async (_prev: ActionState<T>, formData: FormData): Promise<ActionState<T>> => {
    if (!isSameOriginRequest(await headers())) return fail("cross_site");
    const database = await db();
    return run(schema, formData, (data) => handler(data, { db: database }));
  };
}
