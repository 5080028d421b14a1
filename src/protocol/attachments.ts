/**
 * Attachments in the wire contract (docs/protocol.md "Attachments"): the kinds a sitting may allow, the Y.Map of the
 * answer document that lists a pupil's finished attachments, and the tus endpoint the client uploads to.
 */

/** The kinds of file a pupil may attach, each recognised from the content (src/attachments/kinds.ts). */
export const ATTACHMENT_KINDS = ['image', 'pdf', 'ggb', 'xlsx', 'ods', 'docx'] as const;
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number];

/**
 * The Y.Map in every answer Y.Doc listing the pupil's finished attachments, attachment id → entry. It lives in the
 * document so a second device sees the list; the bytes live in PostgreSQL and are fetched by id.
 */
export const ATTACHMENTS_MAP = 'attachments';

/** One entry of the attachments map, and one row of `GET /api/attachments/registrations/:id`. */
export interface AttachmentEntry {
  name: string;
  size: number;
  /** SHA-256 of the stored bytes, lowercase hex, computed by the server when the upload completed. */
  sha256: string;
  type: AttachmentKind;
}

/** Where tus uploads are created (POST) and resumed (HEAD/PATCH on the Location it returns). */
export const ATTACHMENT_UPLOAD_PATH = '/api/attachments/uploads';

/** The Upload-Metadata keys the server reads at creation (values base64 as tus prescribes). */
export const ATTACHMENT_METADATA = { registrationId: 'registrationId', filename: 'filename', filetype: 'filetype' } as const;
