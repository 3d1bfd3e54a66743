import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      "@": fileURLToPath(new URL(".", import.meta.url)),
      // `server-only` throws outside a React Server build; tests run modules directly on the server.
      "server-only": fileURLToPath(new URL("./lib/testing/server-only-stub.ts", import.meta.url)),
    },
  },
  test: {
    include: ["lib/**/*.test.ts", "tools/**/*.test.ts", "scripts/**/*.test.ts"],
    environment: "node",
    // Info logs from the code under test would bury the results; warnings and errors still show.
    env: { LOG_LEVEL: "warn" },
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: "forks",
  },
});
