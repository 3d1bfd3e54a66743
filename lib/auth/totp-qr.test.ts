import QRCode from "qrcode";
import { describe, expect, it } from "vitest";
import { qrSvg } from "./totp-qr";

/** Paints the path's rectangles (only the `M x y h w v1 H x z` runs qrSvg writes) onto a grid. */
function paint(path: string, size: number): boolean[][] {
  const grid = Array.from({ length: size }, () => Array<boolean>(size).fill(false));
  for (const [, x, y, w] of path.matchAll(/M(\d+) (\d+)h(\d+)v1H\d+z/g)) {
    for (let i = 0; i < Number(w); i++) {
      expect(grid[Number(y)]![Number(x) + i], "no module is drawn twice").toBe(false);
      grid[Number(y)]![Number(x) + i] = true;
    }
  }
  return grid;
}

describe("the enrolment QR code", () => {
  it("draws exactly the dark modules of the otpauth URI's QR code, inside a 4-module quiet zone", () => {
    const uri = "otpauth://totp/MoxiEngage%20Onboarding:ops%40moxiworks.test?issuer=MoxiEngage%20Onboarding&secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&algorithm=SHA1&digits=6&period=30";
    const qr = qrSvg(uri);
    const { modules } = QRCode.create(uri, { errorCorrectionLevel: "M" });
    expect(qr.size).toBe(modules.size + 8);
    expect(qr.path).toMatch(/^(M\d+ \d+h\d+v1H\d+z)+$/);
    const grid = paint(qr.path, qr.size);
    for (let row = 0; row < qr.size; row++) {
      for (let col = 0; col < qr.size; col++) {
        const inside = row >= 4 && col >= 4 && row < modules.size + 4 && col < modules.size + 4;
        expect(grid[row]![col], `module ${row},${col}`).toBe(inside ? Boolean(modules.get(row - 4, col - 4)) : false);
      }
    }
  });
});
