/**
 * What each public lookup found, as data: the detector's lookups produce these, the pure decision reads them.
 * A lookup that could not answer says why (`failed`), so the decision can say "we could not tell" instead of
 * reading silence as "no".
 */
export type LookupFailure = {
  kind: "failed";
  /** timeout: the deadline passed; refused: the SSRF guard would not connect; unreachable: network/DNS error; bad_answer: not the expected shape. */
  reason: "timeout" | "refused" | "unreachable" | "bad_answer";
  detail: string;
};

export type MxFact = { kind: "hosts"; hosts: string[] } | { kind: "none" } | { kind: "no_domain" } | LookupFailure;

export type TxtFact =
  | { kind: "records"; microsoftVerification: boolean; spfMicrosoft: boolean; spfGoogle: boolean }
  | { kind: "none" }
  | LookupFailure;

export type TenantFact = { kind: "tenant"; tenantId: string } | { kind: "no_tenant" } | LookupFailure;

export type RealmFact =
  | { kind: "managed"; brand: string | null }
  | { kind: "federated"; brand: string | null; authHost: string | null }
  | { kind: "unknown" }
  | LookupFailure;

/** Microsoft's Autodiscover v2 for the address: a cloud mailbox, an on-premises EWS URL (hybrid), or not known to Microsoft. */
export type CloudAutodiscoverFact =
  | { kind: "exchange_online"; ewsUrl: string }
  | { kind: "on_premises"; ewsUrl: string }
  | { kind: "not_found" }
  | LookupFailure;

/** The domain's own Autodiscover (`autodiscover.<domain>` and the `_autodiscover._tcp` SRV record). */
export type OnPremisesFact =
  | { kind: "ews_url"; ewsUrl: string; via: string }
  | { kind: "none"; tried: string[] }
  | { kind: "refused"; host: string; detail: string }
  | LookupFailure;

/** Where `autodiscover.<domain>` points by CNAME (autodiscover.outlook.com means Microsoft 365). */
export type AutodiscoverCnameFact = { kind: "cname"; target: string } | { kind: "none" } | LookupFailure;

export type DetectionFacts = {
  email: string;
  domain: string;
  mx: MxFact;
  txt: TxtFact;
  tenant: TenantFact;
  realm: RealmFact;
  cloudAutodiscover: CloudAutodiscoverFact;
  autodiscoverCname: AutodiscoverCnameFact;
  onPremises: OnPremisesFact;
};
