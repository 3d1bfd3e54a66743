import Link from "next/link";
import { Fragment, type ReactNode } from "react";

// Renders the guide's inline markup: `code`, **bold** and [label](href). Plain text otherwise — the
// content is ours, never user input, and nothing is injected as HTML.

const TOKEN = /(`[^`]+`|\*\*[^*]+\*\*|\[[^\]]+\]\([^)\s]+\))/g;

function renderToken(token: string, key: number): ReactNode {
  if (token.startsWith("`")) {
    return (
      <code key={key} className="rounded bg-slate-100 px-1 py-0.5 text-[0.92em] text-slate-900 [overflow-wrap:anywhere]">
        {token.slice(1, -1)}
      </code>
    );
  }
  if (token.startsWith("**")) return <strong key={key}>{token.slice(2, -2)}</strong>;
  const match = /^\[([^\]]+)\]\(([^)\s]+)\)$/.exec(token);
  if (!match) return <Fragment key={key}>{token}</Fragment>;
  const [, label, href] = match;
  if (href?.startsWith("/") && !href.startsWith("//")) {
    return (
      <Link key={key} href={href}>
        {label}
      </Link>
    );
  }
  if (href?.startsWith("#")) return <a key={key} href={href}>{label}</a>;
  return (
    <a key={key} href={href} rel="noopener noreferrer">
      {label}
    </a>
  );
}

export function RichText({ text }: { text: string }) {
  const parts = text.split(TOKEN);
  return <>{parts.map((part, i) => (i % 2 === 1 ? renderToken(part, i) : part ? <Fragment key={i}>{part}</Fragment> : null))}</>;
}
