export { default } from "@/lib/http/not-found-per-request";
