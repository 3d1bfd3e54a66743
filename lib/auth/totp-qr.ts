import "server-only";
import QRCode from "qrcode";

/** A QR code as one SVG path (dark modules), drawn by the page on the server: no script, no inline style, no data URL. */
export type QrSvg = { size: number; path: string };

const QUIET_ZONE = 4;

/** The otpauth:// URI as a QR code (the `qrcode` package encodes it; error correction M, as authenticator apps read). */
export function qrSvg(text: string): QrSvg {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: "M" });
  const runs: string[] = [];
  for (let row = 0; row < modules.size; row++) {
    for (let col = 0; col < modules.size; col++) {
      if (!modules.get(row, col)) continue;
      let end = col;
      while (end + 1 < modules.size && modules.get(row, end + 1)) end++;
      runs.push(`M${col + QUIET_ZONE} ${row + QUIET_ZONE}h${end - col + 1}v1H${col + QUIET_ZONE}z`);
      col = end;
    }
  }
  return { size: modules.size + 2 * QUIET_ZONE, path: runs.join("") };
}
