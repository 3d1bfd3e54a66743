import { notFound } from "next/navigation";
import { connection } from "next/server";

/**
 * The page for addresses no route claims (`[...missing]` segments). Without it Next answers them with the
 * not-found page it prerendered at build time, whose scripts carry no nonce and which the proxy cannot
 * recognise in advance to give their hashes. Rendering the not-found answer per request gives it the
 * request's nonce; the segment's own not-found.tsx decides what it says.
 */
export default async function NotFoundPerRequest(): Promise<never> {
  await connection();
  notFound();
}
