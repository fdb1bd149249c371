// One result row, its printing as an aligned table, and its JSON file.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

export interface Row {
  readonly group: string;
  readonly metric: string;
  readonly value: number;
  readonly unit: string;
  /** The same quantity measured in the same run for something we compare against. */
  readonly baseline?: { readonly label: string; readonly value: number };
  readonly note?: string;
}

export function ratio(row: Row): number | undefined {
  return row.baseline && row.baseline.value > 0 ? row.value / row.baseline.value : undefined;
}

function fmt(value: number, unit: string): string {
  if (!Number.isFinite(value)) return "n/a";
  if (unit === "B") return `${Math.round(value).toLocaleString("en-US")} B`;
  if (unit === "ms") return `${value < 1 ? value.toFixed(3) : value < 100 ? value.toFixed(2) : value.toFixed(0)} ms`;
  if (unit === "count") return Math.round(value).toLocaleString("en-US");
  return `${value} ${unit}`;
}

export function printTable(rows: readonly Row[]): string {
  const header = ["group", "metric", "value", "baseline", "ratio", "note"];
  const lines = rows.map((r) => {
    const q = ratio(r);
    return [
      r.group,
      r.metric,
      fmt(r.value, r.unit),
      r.baseline ? `${fmt(r.baseline.value, r.unit)} (${r.baseline.label})` : "",
      q === undefined ? "" : `${q < 0.01 ? q.toPrecision(2) : q.toFixed(2)}×`,
      r.note ?? "",
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  return [line(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...lines.map(line)].join("\n");
}

export function writeResults(file: string, machine: Record<string, string | number>, rows: readonly Row[]): void {
  const results = rows.map((r) => ({ ...r, ratio: ratio(r) ?? null }));
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ date: new Date().toISOString(), machine, rows: results }, null, 2)}\n`);
}
