/**
 * Test support: the text of a PDF as a reader would copy it, extracted with PDF.js (pdfjs-dist's
 * Node build), so a test can say what a printed report says rather than grep compressed bytes.
 */
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/**
 * The PDF's pages and their text: each page's text runs joined as laid out (a run ends where the
 * font or a ligature changes, mid-word too, so runs are joined with nothing and lines with a
 * newline), ligatures unfolded (NFKC).
 */
export async function pdfText(bytes: Uint8Array): Promise<{ pages: number; text: string }> {
  // PDF.js takes ownership of the buffer it is given: hand it a copy.
  const document = await getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, useSystemFonts: false, verbosity: 0 }).promise;
  try {
    const pages: string[] = [];
    for (let number = 1; number <= document.numPages; number++) {
      const content = await (await document.getPage(number)).getTextContent();
      pages.push(content.items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : '') : '')).join(''));
    }
    return { pages: document.numPages, text: pages.join('\n').normalize('NFKC') };
  } finally {
    await document.destroy();
  }
}
