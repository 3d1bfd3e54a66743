import fs from "node:fs";
import type { APIRequestContext } from "@playwright/test";
import { baseURL } from "../../playwright.config";

/** A server action as the build lists it (the server reference manifest): its id, name, file and pages. */
export type BuiltAction = { id: string; name: string; filename: string; pages: string[] };

/** Every server action of the production build under test. */
export function builtActions(): BuiltAction[] {
  const manifest = JSON.parse(fs.readFileSync(`${process.env.NEXT_DIST_DIR ?? ".next"}/server/server-reference-manifest.json`, "utf8")) as {
    node: Record<string, { exportedName?: string; filename?: string; workers?: Record<string, unknown> }>;
  };
  return Object.entries(manifest.node).map(([id, v]) => ({ id, name: v.exportedName ?? "", filename: v.filename ?? "", pages: Object.keys(v.workers ?? {}) }));
}

/** A server action by its exported name. */
export function actionId(name: string): string {
  const found = builtActions().find((a) => a.name === name);
  if (!found) throw new Error(`no server action ${name} in the build`);
  return found.id;
}

/** The address of a page the build serves an action on ("app/(staff)/staff/onboardings/[id]/page" → /staff/onboardings/<id>). */
export function pagePath(worker: string, dynamic = "0".repeat(26)): string {
  const path = worker
    .replace(/^app/, "")
    .replace(/\/page$/, "")
    .split("/")
    .filter((s) => s && !/^\(.*\)$/.test(s))
    .map((s) => (s.startsWith("[") ? dynamic : s))
    .join("/");
  return `/${path}`;
}

const SAME_ORIGIN = { Origin: baseURL, "Sec-Fetch-Site": "same-origin" };

/**
 * Calls a server action as its form would ([state, FormData] in React's reply encoding) and returns the error
 * code. `headers` replaces the same-origin headers a browser would send (to play a cross-site caller).
 */
export async function callAction(request: APIRequestContext, path: string, nameOrId: { name: string } | { id: string }, fields: Record<string, string>, headers: Record<string, string> = SAME_ORIGIN): Promise<string> {
  // As the browser sends it: the FormData's fields under "_1_", then the root ["$K1" = that FormData] last
  // (React's reply decoder reads the referenced entries in order).
  // (A FormData, not an object: an object would list the integer-like key "0" first.)
  const multipart = new FormData();
  for (const [key, value] of Object.entries(fields)) multipart.append(`_1_${key}`, value);
  multipart.append("0", JSON.stringify([{ status: "idle" }, "$K1"]));
  const id = "id" in nameOrId ? nameOrId.id : actionId(nameOrId.name);
  const res = await request.post(path, { headers: { "Next-Action": id, Accept: "text/x-component", ...headers }, multipart, maxRedirects: 0 });
  const text = await res.text();
  return /"code":"([a-z_]+)"/.exec(text)?.[1] ?? `HTTP ${res.status()}: ${/"status":"([a-z]+)"/.exec(text)?.[1] ?? "no action state"}`;
}
