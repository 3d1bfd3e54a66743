import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  ...nextVitals,
  ...nextTs,
  // Layers: app/ composes components/ and lib/; neither reaches back into app/ (components get data as props).
  {
    files: ["components/**/*.{ts,tsx}", "lib/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["@/app", "@/app/*", "**/app/*", "../app", "../../app"], message: "components/ and lib/ must not import from app/; pass data as props or move the code to lib/." }] },
      ],
    },
  },
  { ignores: [".next*/**", "bench/out/**", "node_modules/**", "data/**", "test-results/**", "playwright-report/**", "next-env.d.ts"] },
];
export default config;
