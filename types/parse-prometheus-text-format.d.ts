/** The parser's shape as it answers (it ships no types): one entry per metric family. */
declare module "parse-prometheus-text-format" {
  type Sample = { labels?: Record<string, string>; value?: string; count?: string; sum?: string; buckets?: Record<string, string>; quantiles?: Record<string, string> };
  export default function parsePrometheusTextFormat(text: string): { name: string; help: string; type: string; metrics: Sample[] }[];
}
