import type { ConsentOutcome } from "./consent";

/** What the admin reads after Microsoft's consent page; `retry` offers "Try again" (a new, single-use state). */
export const CONSENT_TEXTS: Record<ConsentOutcome, { title: string; body: string; retry: boolean; ok?: boolean }> = {
  granted: { title: "Consent granted", body: "Microsoft 365 granted MoxiEngage's app consent in your tenant, and MoxiEngage obtained a token for it. Next: create the group of agents and limit the app to it.", retry: false, ok: true },
  granted_untrusted: {
    title: "Consent recorded, not confirmed yet",
    body: "Microsoft said consent was granted, but MoxiEngage could not obtain a token for your tenant yet, so the tenant is not trusted. This can take a few minutes after consent. Try again shortly; if it keeps failing, contact MoxiWorks.",
    retry: true,
  },
  declined: { title: "Consent was declined", body: "The administrator declined the request on Microsoft's consent screen, so nothing was granted. Try again and choose Accept.", retry: true },
  not_admin: {
    title: "That account cannot grant consent",
    body: "Microsoft says the account that signed in is not allowed to grant admin consent. Ask a Global Administrator or Privileged Role Administrator of your Microsoft 365 tenant to open your MoxiEngage link and try again.",
    retry: true,
  },
  other_tenant: {
    title: "That account belongs to another organization",
    body: "The account that signed in is not in your Microsoft 365 tenant (for example a personal Microsoft account or a partner's account). Sign out of Microsoft, try again and sign in with an administrator account of your own tenant.",
    retry: true,
  },
  cancelled: { title: "Consent was cancelled", body: "The consent screen was closed or cancelled before anything was granted. Try again when you are ready.", retry: true },
  consent_failed: { title: "Microsoft did not grant consent", body: "Microsoft's consent page answered with an error and nothing was granted. Try again; if it keeps failing, contact MoxiWorks with the code shown.", retry: true },
  state_unknown: { title: "This consent link is not one of ours", body: "The address Microsoft sent you back with does not match a consent request MoxiEngage started. Nothing was saved. Start again from your workspace.", retry: true },
  state_expired: { title: "This consent request expired", body: "Consent requests are valid for 10 minutes. Nothing was saved. Start again from your workspace.", retry: true },
  state_replayed: { title: "This consent request was already used", body: "Each consent request works once (for example, the page was reloaded or opened twice). Nothing new was saved. Start again from your workspace if you need to.", retry: true },
  state_other_session: {
    title: "Open your MoxiEngage link first",
    body: "Consent has to be started and finished in the same browser, from your MoxiEngage workspace. Open your invitation link in this browser, then choose Grant access in Microsoft 365 again. Nothing was saved.",
    retry: false,
  },
  missing_params: { title: "Microsoft's answer was incomplete", body: "Microsoft sent you back without saying whether consent was granted. Nothing was saved. Try again.", retry: true },
  not_configured: {
    title: "App access is not set up on this server",
    body: "MoxiWorks's Microsoft 365 app is not configured on this server, so consent cannot be granted here. Contact MoxiWorks onboarding.",
    retry: false,
  },
};
