/**
 * Response bodies and header sets, modelled on real Exchange answers
 * (GetFolder, SOAP faults, GetUserSettings, the 401/456 header sets) and on a Remote Connectivity Analyzer log
 * (lib/diagnosis/fixtures/).
 */
import { randomUUID } from "node:crypto";

export type SimResponse = { status: number; statusText?: string; headers: Record<string, string | string[]>; body: string };

const XML = "text/xml; charset=utf-8";

export function xmlEscape(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]!);
}

/** Headers every Exchange front end adds. */
export function frontEndHeaders(): Record<string, string> {
  return {
    "request-id": randomUUID(),
    "X-FEServer": "SIM01FE001",
    "X-BEServer": "SIM01BE001",
    "X-DiagInfo": "SIM01BE001",
    "Cache-Control": "private",
    Server: "Microsoft-IIS/10.0",
    "X-Powered-By": "ASP.NET",
  };
}

const AUTODISCOVER_HEADER = `<s:Header><a:Action s:mustUnderstand="1">http://schemas.microsoft.com/exchange/2010/Autodiscover/Autodiscover/GetUserSettingsResponse</a:Action><h:ServerVersionInfo xmlns:h="http://schemas.microsoft.com/exchange/2010/Autodiscover" xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><h:MajorVersion>15</h:MajorVersion><h:MinorVersion>20</h:MinorVersion><h:MajorBuildNumber>8005</h:MajorBuildNumber><h:MinorBuildNumber>15</h:MinorBuildNumber><h:Version>Exchange2015</h:Version></h:ServerVersionInfo></s:Header>`;

function autodiscoverEnvelope(userResponse: string): string {
  return `<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:a="http://www.w3.org/2005/08/addressing">${AUTODISCOVER_HEADER}<s:Body><GetUserSettingsResponseMessage xmlns="http://schemas.microsoft.com/exchange/2010/Autodiscover"><Response xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><ErrorCode>NoError</ErrorCode><ErrorMessage/><UserResponses><UserResponse>${userResponse}</UserResponse></UserResponses></Response></GetUserSettingsResponseMessage></s:Body></s:Envelope>`;
}

export function autodiscoverSettings(mailbox: string, ewsUrl: string): SimResponse {
  const setting = (name: string, value: string) =>
    `<UserSetting i:type="StringSetting"><Name>${name}</Name><Value>${xmlEscape(value)}</Value></UserSetting>`;
  return {
    status: 200,
    headers: { ...frontEndHeaders(), "Content-Type": XML },
    body: autodiscoverEnvelope(
      `<ErrorCode>NoError</ErrorCode><ErrorMessage>No error.</ErrorMessage><RedirectTarget i:nil="true"/><UserSettingErrors/><UserSettings>` +
        setting("AutoDiscoverSMTPAddress", mailbox) +
        setting("ExternalEwsUrl", ewsUrl) +
        setting("InternalEwsUrl", ewsUrl) +
        `</UserSettings>`,
    ),
  };
}

export function autodiscoverUserError(code: "InvalidUser" | "RedirectAddress" | "RedirectUrl", message: string, target?: string): SimResponse {
  const redirect = target ? `<RedirectTarget>${xmlEscape(target)}</RedirectTarget>` : `<RedirectTarget i:nil="true"/>`;
  return {
    status: 200,
    headers: { ...frontEndHeaders(), "Content-Type": XML },
    body: autodiscoverEnvelope(`<ErrorCode>${code}</ErrorCode><ErrorMessage>${xmlEscape(message)}</ErrorMessage>${redirect}<UserSettingErrors/><UserSettings/>`),
  };
}

/** Unauthenticated GET /autodiscover/autodiscover.xml: 401 advertising SOAP, as Exchange Online answers. */
export function autodiscoverGetProbe(host: string): SimResponse {
  return {
    status: 401,
    statusText: "Unauthorized",
    headers: {
      ...frontEndHeaders(),
      "WWW-Authenticate": [`Basic realm="${host}"`, "Negotiate", "NTLM"],
      "X-SOAP-Enabled": "True",
      "X-WSSecurity-Enabled": "True",
      "X-WSSecurity-SymmetricKey-Enabled": "True",
      "X-WSSecurity-X509Cert-Enabled": "True",
      "X-OAuth-Enabled": "True",
      "X-CasErrorCode": "UnauthenticatedRequest",
      "Content-Length": "0",
    },
    body: "",
  };
}

/** The Exchange Online X-AutoDiscovery-Error value for a basic-auth logon failure (shape copied from the RCA log). */
function liveIdError(reason: string, detail: string): string {
  return `LiveIdBasicAuth:${reason}:<UNH:<PIL.Email:HitdNE04Q9JDIPz+hlwqU4N9hC9OPTT+Acp+PXtgpE=>><RequestId=${randomUUID()}><HitHrd<X-forwarded-for:<PIL.IP:ZLD3jAgvh0qmEjr60cykxf8rjeBYiPCQUuWFQgUjI>><PTS:False><UserType:ManagedBusiness><LogonFailed-${reason}><AS:${reason}>${detail}<Tid=20571b34-0495-4fdb-ace5-2c77cab8ef2e>`;
}

export type AuthFailure = "basic-auth-blocked" | "mfa-required" | "conditional-access" | "wrong-password" | "expired-password" | "account-disabled" | "missing";

const AUTH_FAILURES: Record<AuthFailure, { status: number; reason: string; detail: string; diagnostics: string }> = {
  "basic-auth-blocked": {
    status: 401,
    reason: "BasicAuthBlocked",
    detail: "<BA:0,UP:-32769.ExCaught:False.BlockStatus:2>",
    diagnostics: `2000008;reason="Basic authentication is blocked for this user.";error_category="invalid_user"`,
  },
  "mfa-required": {
    status: 456,
    reason: "AppPasswordRequired",
    detail: "<V2CACHEFAIL:AppPasswordRequired><AADSTS50076: Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access the resource.>",
    diagnostics: `2000001;reason="AADSTS50076: you must use multi-factor authentication to access the resource.";error_category="invalid_user"`,
  },
  "conditional-access": {
    status: 401,
    reason: "ConditionalAccess",
    detail: "<AADSTS53003: Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.>",
    diagnostics: `2000001;reason="AADSTS53003: Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.";error_category="invalid_user"`,
  },
  "wrong-password": {
    status: 401,
    reason: "AuthFailure",
    detail: "<AADSTS50126: Error validating credentials due to invalid username or password.>",
    diagnostics: `2000000;reason="AADSTS50126: Error validating credentials due to invalid username or password.";error_category="invalid_user"`,
  },
  "expired-password": {
    status: 401,
    reason: "PasswordExpired",
    detail: "<AADSTS50055: The password is expired.>",
    diagnostics: `2000000;reason="AADSTS50055: The password is expired.";error_category="invalid_user"`,
  },
  "account-disabled": {
    status: 401,
    reason: "AccountDisabled",
    detail: "<AADSTS50057: The user account is disabled.>",
    diagnostics: `2000000;reason="AADSTS50057: The user account is disabled.";error_category="invalid_user"`,
  },
  missing: { status: 401, reason: "", detail: "", diagnostics: "" },
};

/** A 401/456 logon failure. Autodiscover answers carry X-AutoDiscovery-Error, EWS answers x-ms-diagnostics. */
export function authFailure(kind: AuthFailure, endpoint: "autodiscover" | "ews", host: string): SimResponse {
  const f = AUTH_FAILURES[kind];
  const headers: Record<string, string | string[]> = {
    ...frontEndHeaders(),
    "WWW-Authenticate": [`Basic realm="${host}"`, `Bearer client_id="00000002-0000-0ff1-ce00-000000000000", token_types="app_asserted_user_v1 service_asserted_app_v1", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize"`],
    "X-BackEndHttpStatus": String(f.status),
    "X-RUM-Validated": "1",
    "Content-Length": "0",
  };
  if (kind !== "missing") {
    if (endpoint === "autodiscover") headers["X-AutoDiscovery-Error"] = liveIdError(f.reason, f.detail);
    else headers["x-ms-diagnostics"] = f.diagnostics;
  }
  return { status: f.status, statusText: f.status === 456 ? "Unauthorized" : "Unauthorized", headers, body: "" };
}

/** An EWS SOAP fault with HTTP 500 (S4). */
export function soapFault(code: string, message: string, extraDetail = ""): SimResponse {
  return {
    status: 500,
    statusText: "Internal Server Error",
    headers: { ...frontEndHeaders(), "Content-Type": XML },
    body: `<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault><faultcode xmlns:a="http://schemas.microsoft.com/exchange/services/2006/types">a:${code}</faultcode><faultstring xml:lang="en-US">${xmlEscape(message)}</faultstring><detail><e:ResponseCode xmlns:e="http://schemas.microsoft.com/exchange/services/2006/errors">${code}</e:ResponseCode><e:Message xmlns:e="http://schemas.microsoft.com/exchange/services/2006/errors">${xmlEscape(message)}</e:Message>${extraDetail}</detail></s:Fault></s:Body></s:Envelope>`,
  };
}

export const impersonationDenied = () =>
  soapFault("ErrorImpersonateUserDenied", "The account does not have permission to impersonate the requested user.");
export const nonExistentMailbox = (address: string) =>
  soapFault("ErrorNonExistentMailbox", `The SMTP address has no mailbox associated with it.`, `<t:MessageXml xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types"><t:Value Name="SmtpAddress">${xmlEscape(address)}</t:Value></t:MessageXml>`);
export const serverBusy = () =>
  soapFault(
    "ErrorServerBusy",
    "The server cannot service this request right now. Try again later.",
    `<t:MessageXml xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types"><t:Value Name="BackOffMilliseconds">297749</t:Value></t:MessageXml>`,
  );

export function serviceUnavailable(): SimResponse {
  return {
    status: 503,
    statusText: "Service Unavailable",
    headers: { ...frontEndHeaders(), "Retry-After": "30", "Content-Type": "text/html" },
    body: "<html><body><h1>503 Service Unavailable</h1><p>The server is too busy. Try again later.</p></body></html>",
  };
}

export function ewsForbidden(): SimResponse {
  return {
    status: 403,
    statusText: "Forbidden",
    headers: {
      ...frontEndHeaders(),
      "Content-Type": "text/html",
      "x-ms-diagnostics": `2000003;reason="Access to EWS is disabled for this user or organization by policy (EwsEnabled=False).";error_category="invalid_user"`,
    },
    body: "<html><head><title>403 - Forbidden: Access is denied.</title></head><body><h2>403 - Forbidden: Access is denied.</h2><h3>You do not have permission to view this directory or page using the credentials that you supplied.</h3></body></html>",
  };
}

export function iisNotFound(): SimResponse {
  return {
    status: 404,
    statusText: "Not Found",
    headers: { Server: "Microsoft-IIS/10.0", "Content-Type": "text/html" },
    body: "<!DOCTYPE html><html><head><title>404 - File or directory not found.</title></head><body><h2>404 - File or directory not found.</h2><h3>The resource you are looking for might have been removed, had its name changed, or is temporarily unavailable.</h3></body></html>",
  };
}

export function redirect(location: string, status = 302): SimResponse {
  return {
    status,
    statusText: status === 301 ? "Moved Permanently" : "Found",
    headers: { Location: location, "Content-Type": "text/html", Server: "Microsoft-IIS/10.0" },
    body: `<head><title>Document Moved</title></head><body><h1>Object Moved</h1>This document may be found <a HREF="${xmlEscape(location)}">here</a></body>`,
  };
}

/** What the malformed-xml scenario sends: a SOAP envelope cut off mid-element. */
export const MALFORMED_XML = `<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><m:GetFolderResponse xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages"><m:ResponseMessages><m:GetFolderResp&&<<`;

/**
 * IIS's 401 for a virtual directory: one WWW-Authenticate per enabled scheme (Negotiate and NTLM for Windows
 * authentication, Basic with the host as realm), or the NTLM challenge during a handshake. The body is IIS's
 * 401.1/401.2 page.
 */
export function iisUnauthorized(schemes: { windows: boolean; basic: boolean; challenge?: string }, host: string): SimResponse {
  const www = schemes.challenge ? [schemes.challenge] : [...(schemes.windows ? ["Negotiate", "NTLM"] : []), ...(schemes.basic ? [`Basic realm="${host}"`] : [])];
  const body = schemes.challenge
    ? ""
    : '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd"><html xmlns="http://www.w3.org/1999/xhtml"><head><title>401 - Unauthorized: Access is denied due to invalid credentials.</title></head><body><div id="header"><h1>Server Error</h1></div><div id="content"><fieldset><h2>401 - Unauthorized: Access is denied due to invalid credentials.</h2><h3>You do not have permission to view this directory or page using the credentials that you supplied.</h3></fieldset></div></body></html>';
  return {
    status: 401,
    statusText: "Unauthorized",
    headers: { ...frontEndHeaders(), "WWW-Authenticate": www, ...(body ? { "Content-Type": "text/html" } : {}) },
    body,
  };
}
