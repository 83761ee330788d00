import type PDFDocumentType from 'pdfkit';

/**
 * Small, dependable PDF reports (pdfkit with its built-in Helvetica: no fonts to ship). A report
 * is a title, headings, paragraphs and tables; pages break by themselves.
 */

export type Pdf = PDFKit.PDFDocument;

export interface PdfColumn {
  header: string;
  width: number;
  align?: 'left' | 'right';
}

const MARGIN = 48;

export async function renderPdf(title: string, build: (doc: Pdf) => void): Promise<Buffer> {
  // Loaded on the first report, not at start: pdfkit and its font engine are a large part of an
  // idle server's memory, and most instances rarely print.
  const { default: PDFDocument } = (await import('pdfkit')) as { default: typeof PDFDocumentType };
  const doc = new PDFDocument({ size: 'A4', margin: MARGIN, info: { Title: title, Producer: 'OpsDeck' } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.font('Helvetica-Bold').fontSize(18).text(title);
  doc
    .font('Helvetica')
    .fontSize(9)
    .fillColor('#666')
    .text(`Generated ${new Date().toISOString().replace('T', ' ').slice(0, 16)} UTC`);
  doc.fillColor('black').moveDown();
  build(doc);
  doc.end();
  return done;
}

export function heading(doc: Pdf, text: string): void {
  ensureSpace(doc, 40);
  doc
    .moveDown(0.5)
    .font('Helvetica-Bold')
    .fontSize(12)
    .text(text, MARGIN)
    .font('Helvetica')
    .fontSize(9)
    .moveDown(0.3);
}

export function paragraph(doc: Pdf, text: string): void {
  doc.font('Helvetica').fontSize(9).text(text, MARGIN);
}

function ensureSpace(doc: Pdf, height: number): void {
  if (doc.y + height > doc.page.height - MARGIN) doc.addPage();
}

/** A table with a bold header row, repeated on each new page. Cells are clipped to one line. */
export function table(doc: Pdf, columns: PdfColumn[], rows: string[][]): void {
  const rowHeight = 14;
  const drawRow = (cells: string[], bold: boolean) => {
    ensureSpace(doc, rowHeight);
    const y = doc.y;
    let x = MARGIN;
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(8.5);
    columns.forEach((column, index) => {
      doc.text(cells[index] ?? '', x + 2, y, {
        width: column.width - 4,
        align: column.align ?? 'left',
        lineBreak: false,
        ellipsis: true,
        height: rowHeight,
      });
      x += column.width;
    });
    doc
      .moveTo(MARGIN, y + rowHeight - 2)
      .lineTo(x, y + rowHeight - 2)
      .strokeColor('#ddd')
      .lineWidth(0.5)
      .stroke();
    doc.x = MARGIN;
    doc.y = y + rowHeight;
  };
  drawRow(
    columns.map((c) => c.header),
    true,
  );
  for (const row of rows) {
    if (doc.y + rowHeight > doc.page.height - MARGIN) {
      doc.addPage();
      drawRow(
        columns.map((c) => c.header),
        true,
      );
    }
    drawRow(row, false);
  }
  doc.font('Helvetica').fontSize(9).moveDown(0.5);
}

/** A horizontal bar of coloured segments (e.g. statuses), `parts` summing to at most `total`. */
export function stackedBar(
  doc: Pdf,
  parts: Array<{ value: number; color: string }>,
  total: number,
  width = 300,
): void {
  ensureSpace(doc, 16);
  const y = doc.y;
  let x = MARGIN;
  doc.rect(MARGIN, y, width, 8).fillColor('#eee').fill();
  for (const part of parts) {
    const w = total > 0 ? (part.value / total) * width : 0;
    if (w > 0) doc.rect(x, y, w, 8).fillColor(part.color).fill();
    x += w;
  }
  doc.fillColor('black');
  doc.x = MARGIN;
  doc.y = y + 14;
}
