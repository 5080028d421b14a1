// The ministry's per-item statistics (docs/rules.md §14.7): pure over the stored item scores of a sitting.
import type { ItemStatistics } from '../protocol/itemResponses.ts';

export interface ScoreRow {
  item: string;
  part: string;
  score: number;
  maxScore: number;
  response: Record<string, string | string[]> | null;
}

const share = (n: number, of: number) => (of === 0 ? 0 : Math.round((n / of) * 1e4) / 1e4);

export function itemStatistics(rows: readonly ScoreRow[]): ItemStatistics[] {
  const byItem = new Map<string, ScoreRow[]>();
  for (const r of rows) byItem.set(r.item, [...(byItem.get(r.item) ?? []), r]);
  return [...byItem.values()].map((rs) => {
    const counts = new Map<string, number>();
    for (const r of rs)
      if (r.response)
        counts.set(
          JSON.stringify(r.response, Object.keys(r.response).sort()),
          (counts.get(JSON.stringify(r.response, Object.keys(r.response).sort())) ?? 0) + 1,
        );
    return {
      item: rs[0].item,
      part: rs[0].part,
      submissions: rs.length,
      shareCorrect: share(rs.filter((r) => r.maxScore > 0 && r.score >= r.maxScore).length, rs.length),
      meanScore: Math.round((rs.reduce((n, r) => n + r.score, 0) / rs.length) * 1e4) / 1e4,
      shareOmitted: share(rs.filter((r) => r.response === null).length, rs.length),
      responses: [...counts].map(([response, count]) => ({ response, count })).sort((a, b) => b.count - a.count || a.response.localeCompare(b.response)),
    };
  });
}

const cell = (v: string | number) => (typeof v === 'number' ? String(v) : `"${v.replace(/"/g, '""')}"`);

/** One row per item and distinct response; semicolon-separated with a decimal point, UTF-8, as Danish spreadsheets open it. */
export function statisticsCsv(stats: readonly ItemStatistics[]): string {
  const lines = ['item;part;submissions;shareCorrect;meanScore;shareOmitted;response;count'];
  for (const s of stats) {
    const head = [cell(s.item), cell(s.part), s.submissions, s.shareCorrect, s.meanScore, s.shareOmitted];
    if (s.responses.length === 0) lines.push([...head, '""', 0].join(';'));
    for (const r of s.responses) lines.push([...head, cell(r.response), r.count].join(';'));
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
