import type { ItemSection } from '../items/itemPrint.ts';
import { BODY, F, type Box, type Doc } from './pdfStyle.ts';

const fmt = (n: number) => String(Math.round(n * 100) / 100).replace('.', ',');

/**
 * An item test's answer on the PDF (docs/rules.md §14.8): per item its prompt and the pupil's response; on the
 * grader's copy (`section.total` set) also its score and key, and the total by part. The pupil's copy has neither.
 */
export function renderItemSection(doc: Doc, section: ItemSection, box: Box): void {
  const text = (s: string, font: string, size = BODY, indent = 0) =>
    doc
      .font(font)
      .fontSize(size)
      .text(s, box.x + indent, doc.y, { width: box.width - indent });
  if (section.total) {
    text(`Samlet: ${fmt(section.total.score)} af ${fmt(section.total.maxScore)} point`, F.bold, 12);
    for (const p of section.total.parts) text(`Del ${p.part}: ${fmt(p.score)} af ${fmt(p.maxScore)} point`, F.regular, 10);
    doc.moveDown(0.6);
  }
  section.items.forEach((item, i) => {
    // Keep an item's heading with its first lines rather than alone at the foot of a page.
    if (doc.y > doc.page.height - doc.page.margins.bottom - 90) doc.addPage();
    text(`Opgave ${i + 1}: ${item.title}`, F.bold, 12);
    text(`Del ${item.part} · ${item.identifier}`, F.regular, 8.5);
    doc.moveDown(0.2);
    for (const para of item.prompt) text(para, F.regular, BODY);
    doc.moveDown(0.2);
    text('Elevens svar:', F.bold, 10);
    for (const line of item.responses) text(line, F.italic, BODY, 12);
    if (item.grading) {
      const g = item.grading;
      doc.moveDown(0.2);
      const by = g.byGrader ? ' (givet af bedømmer)' : g.manual ? ' (bedømmes af bedømmer)' : ' (automatisk)';
      text(`Point: ${fmt(g.score)} af ${fmt(g.maxScore)}${by}`, F.bold, 10);
      for (const line of g.key) text(`Nøgle: ${line}`, F.regular, 9.5, 12);
    }
    doc.moveDown(0.8);
  });
}
