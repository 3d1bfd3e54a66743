/**
 * What each kind of sealed record is bound to: the ids in its authenticated data (lib/crypto/envelope.ts), so a
 * record cannot be moved to another row or another use. Credentials are bound to their onboarding and id; the
 * other uses have their own purpose here rather than borrowing an onboarding id. The strings are part of every
 * stored record's authenticated data: changing one makes those records unreadable.
 */
import type { RecordIds } from "./envelope";

export const sealedFor = {
  credential: (onboardingId: string, credentialId: string): RecordIds => ({ onboardingId, credentialId }),
  /** A staff member's TOTP secret (lib/auth/staff.ts); re-wrapped by keys:rotate (lib/credentials/rotation.ts). */
  staffTotp: (staffId: string): RecordIds => ({ onboardingId: "staff-totp", credentialId: staffId }),
  /** The private key of a certificate made for a brokerage's own Entra app (lib/app-access/own-app.ts). */
  appCertificateKey: (onboardingId: string, certificateId: string): RecordIds => ({ onboardingId, credentialId: `app-cert:${certificateId}` }),
  /** The client secret of a brokerage's own Entra app, where policy forces a secret (lib/app-access/own-app-secret.ts). */
  appClientSecret: (onboardingId: string): RecordIds => ({ onboardingId, credentialId: "app-secret" }),
  /** An outbox mail body (lib/mail/outbox.ts). */
  mail: (messageId: string): RecordIds => ({ onboardingId: "outbox", credentialId: `mail:${messageId}` }),
  /**
   * An OpenID provider's refresh token, bound to its staff session (lib/auth/oidc.ts). Not re-wrapped by keys:rotate:
   * after its key is retired the session's next check fails and the person signs in again.
   */
  oidcRefreshToken: (sessionTokenHash: string): RecordIds => ({ onboardingId: "staff-oidc", credentialId: sessionTokenHash }),
};
