import { apiError } from "@/lib/http/api";

/**
 * Any /api address no route claims answers like the API does — JSON with an error code — rather than with the
 * HTML not-found page, so a client with a mistyped path gets an answer it can read.
 */
function noSuchEndpoint() {
  return apiError("no_such_endpoint");
}

export const GET = noSuchEndpoint;
export const HEAD = noSuchEndpoint;
export const POST = noSuchEndpoint;
export const PUT = noSuchEndpoint;
export const PATCH = noSuchEndpoint;
export const DELETE = noSuchEndpoint;
