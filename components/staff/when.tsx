/** A timestamp people can read (UTC, to the minute) with the exact value for machines. */
export function When({ iso, dateOnly = false }: { iso: string; dateOnly?: boolean }) {
  const shown = dateOnly ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
  return <time dateTime={iso}>{shown}</time>;
}
