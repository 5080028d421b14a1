/**
 * Message types on the answer socket: the four of y-websocket (so a stock client syncs) plus Prøvesal's two.
 * Plain numbers with no imports, so the load generator and the k6 JSON (`npm run protocol:json`) share them.
 */
export const MessageType = {
  sync: 0,
  awareness: 1,
  auth: 2,
  queryAwareness: 3,
  /** server → client: what of this document is durable in PostgreSQL (docs/protocol.md) */
  persisted: 100,
  /** server → client: a JSON control message (window, handed_in, replaced, notice) */
  control: 101,
} as const;

export type MessageTypeNumber = (typeof MessageType)[keyof typeof MessageType];
