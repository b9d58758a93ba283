export { type GrayImage, type TextImageOptions, textImage } from './bitmap-font.js';
export { type DocxBlock, docxDocument, docxZipBomb } from './docx.js';
export {
  encodeImage,
  encodeJpeg,
  encodePng,
  encodeTiff,
  encodeWebp,
  type ImageFileFormat,
  oversizedImageHeader,
  textImageFile,
} from './images.js';
export {
  encryptedPdf,
  handMadePdf,
  onePageObjects,
  type PdfPageSpec,
  pdfDocument,
  scannedPdf,
  textPdf,
  truncatedPdf,
} from './pdf.js';
export { deflatedZeros, type RawZipInput, type ZipInput, zipArchive } from './zip.js';
