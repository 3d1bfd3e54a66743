// The same page as the root not-found, rendered here so that it is rendered per request (see page.tsx).
export { default } from "../not-found";
