/** Runs once when the server starts: validate configuration and migrate before the first request. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { config } = await import("@/lib/config");
  config();
  const { database } = await import("@/lib/db");
  await database();
}
