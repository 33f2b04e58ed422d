/** Reading PDFs in tests: the text a person would see, extracted with unpdf (pdf.js). */
import type { Response } from 'superagent';
import { extractText, getDocumentProxy } from 'unpdf';

/** A superagent parser that keeps the response body as bytes. */
export function binary(res: Response, callback: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
  res.on('error', (error: Error) => callback(error, Buffer.alloc(0)));
}

export async function pdfTextOf(bytes: Buffer): Promise<string> {
  const document = await getDocumentProxy(new Uint8Array(bytes));
  const { text } = await extractText(document, { mergePages: true });
  // Table cells wrap wherever the column ends; compare words, not line breaks.
  return text.replace(/\s+/g, ' ');
}
