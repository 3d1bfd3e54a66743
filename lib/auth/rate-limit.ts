import "server-only";
import { RateLimiterMemory } from "rate-limiter-flexible";

/**
 * Named rate limits (rate-limiter-flexible). In-process memory: right for the embedded single-instance
 * default; several instances behind a load balancer each keep their own count (noted in README).
 */
const LIMITS = {
  signInPerAccount: { points: 5, duration: 15 * 60 },
  signInPerClient: { points: 30, duration: 15 * 60 },
  linkOpenPerClient: { points: 60, duration: 60 },
  checklistPerClient: { points: 240, duration: 60 },
  testPerOnboarding: { points: 10, duration: 10 * 60 },
  testPerClient: { points: 20, duration: 10 * 60 },
  submitPerOnboarding: { points: 10, duration: 60 * 60 },
  serviceApiPerToken: { points: 120, duration: 60 },
  // Before authentication, so a flood of bad tokens cannot fill the audit log.
  serviceApiPerClient: { points: 300, duration: 60 },
  // A TechOps credential reveal: each one needs password + TOTP + reason; this caps guessing and misuse.
  revealPerStaff: { points: 5, duration: 15 * 60 },
} as const;
export type LimitName = keyof typeof LIMITS;

const limiters = new Map<LimitName, RateLimiterMemory>();

export type LimitResult = { ok: true } | { ok: false; retryAfterSeconds: number };

export async function consume(name: LimitName, key: string, points = 1): Promise<LimitResult> {
  let limiter = limiters.get(name);
  if (!limiter) {
    limiter = new RateLimiterMemory({ keyPrefix: name, ...LIMITS[name] });
    limiters.set(name, limiter);
  }
  try {
    await limiter.consume(key, points);
    return { ok: true };
  } catch (rejection) {
    const ms = (rejection as { msBeforeNext?: number }).msBeforeNext ?? 60_000;
    return { ok: false, retryAfterSeconds: Math.ceil(ms / 1000) };
  }
}

export async function reset(name: LimitName, key: string) {
  await limiters.get(name)?.delete(key);
}
