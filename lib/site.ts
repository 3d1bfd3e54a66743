/** Public facts about the service shown on every page. */
export const SUPPORT_EMAIL = "engage-onboarding@moxiworks.com";
export const PRODUCT_NAME = "MoxiEngage Onboarding";
