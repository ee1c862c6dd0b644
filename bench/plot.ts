// A small dependency-free SVG line chart (log-log axes) for the benchmark report.
export interface Series {
  label: string;
  points: Array<[number, number]>;
}

export function lineChartSvg(title: string, xLabel: string, yLabel: string, series: Series[]): string {
  const W = 640,
    H = 400,
    L = 70,
    R = 20,
    T = 40,
    B = 50;
  const all = series.flatMap((s) => s.points);
  const lx = (v: number) => Math.log10(Math.max(v, 1e-9));
  const [x0, x1] = [Math.floor(lx(Math.min(...all.map((p) => p[0])))), Math.ceil(lx(Math.max(...all.map((p) => p[0]))))];
  const [y0, y1] = [Math.floor(lx(Math.min(...all.map((p) => p[1])))), Math.ceil(lx(Math.max(...all.map((p) => p[1]))))];
  const sx = (v: number) => L + ((lx(v) - x0) / Math.max(x1 - x0, 1)) * (W - L - R);
  const sy = (v: number) => H - B - ((lx(v) - y0) / Math.max(y1 - y0, 1)) * (H - T - B);
  const colors = ["#1f77b4", "#ff7f0e", "#2ca02c"];
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="20" text-anchor="middle" font-size="14">${title}</text>`,
    `<line x1="${L}" y1="${H - B}" x2="${W - R}" y2="${H - B}" stroke="black"/>`,
    `<line x1="${L}" y1="${T}" x2="${L}" y2="${H - B}" stroke="black"/>`,
    `<text x="${W / 2}" y="${H - 10}" text-anchor="middle">${xLabel} (log)</text>`,
    `<text x="15" y="${H / 2}" transform="rotate(-90 15 ${H / 2})" text-anchor="middle">${yLabel} (log)</text>`,
  ];
  for (let e = x0; e <= x1; e++) out.push(`<text x="${sx(10 ** e)}" y="${H - B + 18}" text-anchor="middle">${10 ** e}</text>`);
  for (let e = y0; e <= y1; e++) out.push(`<text x="${L - 8}" y="${sy(10 ** e) + 4}" text-anchor="end">${10 ** e}</text>`);
  series.forEach((s, i) => {
    const c = colors[i % colors.length];
    out.push(
      `<polyline fill="none" stroke="${c}" stroke-width="2" points="${s.points.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(" ")}"/>`,
    );
    for (const [x, y] of s.points) out.push(`<circle cx="${sx(x).toFixed(1)}" cy="${sy(y).toFixed(1)}" r="3" fill="${c}"/>`);
    out.push(`<text x="${L + 10}" y="${T + 15 + i * 16}" fill="${c}">${s.label}</text>`);
  });
  out.push("</svg>");
  return out.join("\n");
}
