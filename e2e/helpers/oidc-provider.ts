import { createServer, type Server } from "node:http";
import Provider, { type Configuration } from "oidc-provider";

/**
 * A real OpenID provider for the e2e tests (the `oidc-provider` package, the certified server behind many
 * deployments), in the test process. Its one client is the app; its accounts are what each test sets, and can
 * be disabled (then the provider refuses their refresh tokens, as Entra ID or Okta do for a disabled user).
 * The login page is ours and minimal: a subject and a "with MFA" box, which sets `amr` as a real provider would.
 */
export type TestAccount = { email: string; name: string; roles: string[]; disabled?: boolean };

export type TestProvider = { issuer: string; accounts: Map<string, TestAccount>; close(): Promise<void> };

export const OIDC_CLIENT = { id: "moxi-onboarding-e2e", secret: "e2e-oidc-client-secret-not-a-real-one-0123456789" };

export async function startTestProvider(port: number, redirectUri: string): Promise<TestProvider> {
  const issuer = `http://127.0.0.1:${port}`;
  const accounts = new Map<string, TestAccount>();
  const configuration: Configuration = {
    clients: [
      {
        client_id: OIDC_CLIENT.id,
        client_secret: OIDC_CLIENT.secret,
        redirect_uris: [redirectUri],
        grant_types: ["authorization_code", "refresh_token"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    // The defaults (acr, sid, auth_time, iss); roles and amr (which the app reads for MFA) with the openid scope.
    claims: { acr: null, sid: null, auth_time: null, iss: null, openid: ["sub", "roles", "amr"], email: ["email"], profile: ["name"] },
    // The role claim in the ID token itself (the app reads roles from it), as Entra's `roles` claim is.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    cookies: { keys: ["e2e-cookie-key-0123456789abcdef"] },
    pkce: { required: () => true },
    // First-party app: no consent screen; every sign-in gets the app's scopes and a refresh token.
    async loadExistingGrant(ctx) {
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session!.grantIdFor(ctx.oidc.client!.clientId);
      const found = grantId ? await ctx.oidc.provider.Grant.find(grantId) : undefined;
      if (found) return found;
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId! });
      grant.addOIDCScope("openid email profile offline_access");
      await grant.save();
      return grant;
    },
    async issueRefreshToken(_ctx, client) {
      return client.grantTypeAllowed("refresh_token");
    },
    async findAccount(_ctx, sub) {
      const account = accounts.get(sub);
      if (!account || account.disabled) return undefined;
      return { accountId: sub, claims: async () => ({ sub, email: account.email, name: account.name, roles: account.roles }) };
    },
    ttl: { AccessToken: 300, IdToken: 300, RefreshToken: 3600, Interaction: 600, Session: 3600, Grant: 3600 },
  };
  const provider = new Provider(issuer, configuration);
  const handle = provider.callback();

  const server: Server = createServer(async (req, res) => {
    const match = /^\/interaction\/([A-Za-z0-9_-]+)$/.exec(req.url ?? "");
    if (!match) return handle(req, res);
    try {
      await provider.interactionDetails(req, res);
      if (req.method === "GET") {
        res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
        res.end(`<!doctype html><html lang="en"><title>Test identity provider</title><h1>Test identity provider</h1>
<form method="post"><label>Subject <input name="sub"></label> <label><input type="checkbox" name="mfa" value="1"> with MFA</label> <button>Sign in</button></form></html>`);
        return;
      }
      const body = new URLSearchParams(await new Promise<string>((resolve) => {
        let text = "";
        req.on("data", (c) => (text += c));
        req.on("end", () => resolve(text));
      }));
      const sub = body.get("sub") ?? "";
      const amr = body.get("mfa") ? ["pwd", "mfa"] : ["pwd"];
      await provider.interactionFinished(req, res, { login: { accountId: sub, amr } }, { mergeWithLastSubmission: false });
    } catch (error) {
      res.writeHead(400, { "Content-Type": "text/plain" });
      res.end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { issuer, accounts, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
