import { useMemo } from 'react';
import { encode } from 'uqr';

/** A QR code drawn as SVG squares (scannable from a phone to open the link in Telegram). */
export function QrCode({ value, size = 184, label }: { value: string; size?: number; label: string }) {
  const path = useMemo(() => {
    const { data } = encode(value, { ecc: 'M', border: 2 });
    const cells: string[] = [];
    data.forEach((row, y) => row.forEach((dark, x) => dark && cells.push(`M${x} ${y}h1v1h-1z`)));
    return { d: cells.join(''), n: data.length };
  }, [value]);
  return (
    <svg
      width={size}
      height={size}
      viewBox={`0 0 ${path.n} ${path.n}`}
      role="img"
      aria-label={label}
      shapeRendering="crispEdges"
      data-testid="bridge-qr"
    >
      <rect width={path.n} height={path.n} fill="#fff" />
      <path d={path.d} fill="#000" />
    </svg>
  );
}
