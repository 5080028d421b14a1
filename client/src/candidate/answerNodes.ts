import { AttachmentImage } from './attachments/editorImages.ts';
import { formulaExtensions } from './formula/nodes.ts';

/**
 * The answer's nodes beyond StarterKit and tables: every editor that shows the answer (writing, the receipt's
 * read-only copy) needs all of them, or y-prosemirror drops what its schema lacks from the shown document.
 */
export const answerNodes = [AttachmentImage, ...formulaExtensions];
