"use client";

import { useEffect } from "react";

/** Opens every folded section around the element the address's #fragment names, then scrolls it into view. */
export function openLinkedSection() {
  const id = decodeURIComponent(window.location.hash.slice(1));
  if (!id) return;
  const target = document.getElementById(id);
  if (!target) return;
  for (let el: HTMLElement | null = target; el; el = el.parentElement) {
    if (el instanceof HTMLDetailsElement) el.open = true;
    // A section's own <details> sits inside it: opening the section means opening that too.
    const own = el === target ? el.querySelector(":scope > details") : null;
    if (own instanceof HTMLDetailsElement) own.open = true;
  }
  target.scrollIntoView({ block: "start" });
}

/**
 * In the workspace the guide's sections are folded: a link to a step (from a finding, "On this page" or a
 * shared address) must still land on it, open. Runs on load and whenever the fragment changes.
 */
export function OpenLinkedSection() {
  useEffect(() => {
    openLinkedSection();
    window.addEventListener("hashchange", openLinkedSection);
    return () => window.removeEventListener("hashchange", openLinkedSection);
  }, []);
  return null;
}
