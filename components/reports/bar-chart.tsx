import Link from "next/link";

export type Series = { name: string; color: string; values: number[] };

/**
 * Grouped bars drawn as SVG: no chart library needed for bars and lines. Every bar with a
 * link is a focusable link with its own label, so the chart works by keyboard and screen
 * reader; the table beside it carries the same numbers.
 */
export function BarChart({ title, labels, series, hrefs, testId }: { title: string; labels: string[]; series: Series[]; hrefs?: (string | null)[]; testId?: string }) {
  const W = 640;
  const H = 180;
  const pad = { top: 8, bottom: 22, left: 32 };
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  const slot = (W - pad.left) / Math.max(1, labels.length);
  const bar = Math.max(1, (slot * 0.8) / series.length);
  const y = (v: number) => pad.top + (H - pad.top - pad.bottom) * (1 - v / max);
  const every = Math.ceil(labels.length / 10);
  return (
    <figure className="w-full" data-testid={testId}>
      <svg viewBox={`0 0 ${W} ${H}`} className="h-48 w-full" role="group" aria-label={title}>
        <line x1={pad.left} x2={W} y1={y(0)} y2={y(0)} className="stroke-gray-300" />
        <text x={pad.left - 4} y={y(max) + 4} textAnchor="end" className="fill-gray-500 text-[10px]">{max}</text>
        <text x={pad.left - 4} y={y(0)} textAnchor="end" className="fill-gray-500 text-[10px]">0</text>
        {labels.map((label, i) => (
          <g key={label}>
            {series.map((s, j) => {
              const v = s.values[i] ?? 0;
              const rect = <rect x={pad.left + i * slot + slot * 0.1 + j * bar} y={y(v)} width={bar} height={Math.max(0, y(0) - y(v))} fill={s.color} rx={1} />;
              const href = j === 0 ? hrefs?.[i] : null;
              const name = `${label} · ${s.name}: ${v}`;
              return href ? (
                <Link key={s.name} href={href} aria-label={name} data-testid="chart-bar" className="focus:outline-none [&:focus>rect]:stroke-indigo-900 [&:focus>rect]:stroke-2">
                  {rect}
                  <title>{name}</title>
                </Link>
              ) : (
                <g key={s.name}>
                  {rect}
                  <title>{name}</title>
                </g>
              );
            })}
            {i % every === 0 && (
              <text x={pad.left + i * slot + slot / 2} y={H - 6} textAnchor="middle" className="fill-gray-500 text-[10px]" aria-hidden>
                {/^\d{4}-\d{2}-\d{2}$/.test(label) ? label.slice(5) : label.slice(0, 14)}
              </text>
            )}
          </g>
        ))}
      </svg>
      {series.length > 1 && (
        <figcaption className="mt-1 flex gap-4 text-xs text-gray-600">
          {series.map((s) => (
            <span key={s.name} className="flex items-center gap-1">
              <span className="inline-block h-2 w-2 rounded-sm" style={{ background: s.color }} aria-hidden />
              {s.name}
            </span>
          ))}
        </figcaption>
      )}
    </figure>
  );
}

/** A line over days (backlog), same conventions as the bar chart. */
export function LineChart({ title, labels, values, color = "#4f46e5", testId }: { title: string; labels: string[]; values: number[]; color?: string; testId?: string }) {
  const W = 640;
  const H = 160;
  const pad = { top: 8, bottom: 22, left: 32 };
  const max = Math.max(1, ...values);
  const x = (i: number) => pad.left + ((W - pad.left - 8) * i) / Math.max(1, labels.length - 1);
  const y = (v: number) => pad.top + (H - pad.top - pad.bottom) * (1 - v / max);
  const every = Math.ceil(labels.length / 10);
  return (
    <figure className="w-full" data-testid={testId}>
      <svg viewBox={`0 0 ${W} ${H}`} className="h-40 w-full" role="img" aria-label={title}>
        <line x1={pad.left} x2={W} y1={y(0)} y2={y(0)} className="stroke-gray-300" />
        <text x={pad.left - 4} y={y(max) + 4} textAnchor="end" className="fill-gray-500 text-[10px]">{max}</text>
        <polyline fill="none" stroke={color} strokeWidth={2} points={values.map((v, i) => `${x(i)},${y(v)}`).join(" ")} />
        {values.map((v, i) => (
          <circle key={labels[i]} cx={x(i)} cy={y(v)} r={labels.length > 40 ? 1 : 2.5} fill={color}>
            <title>{`${labels[i]}: ${v}`}</title>
          </circle>
        ))}
        {labels.map((l, i) => i % every === 0 && (
          <text key={l} x={x(i)} y={H - 6} textAnchor="middle" className="fill-gray-500 text-[10px]">{l.slice(5)}</text>
        ))}
      </svg>
    </figure>
  );
}
