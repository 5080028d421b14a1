/**
 * Limits of the answer websocket, shared by server and client (docs/rules.md §10: bad input is refused and never
 * corrupts what was saved). A pupil's keystrokes arrive as updates of a few dozen bytes; a pasted table or
 * an image from within the exam is the largest legitimate message.
 */
export const ANSWER_LIMITS = {
  /** Largest single websocket message (ws `maxPayload`); larger closes with 4413. */
  maxMessageBytes: 512 * 1024,
  /** Largest answer document (encoded Yjs state); updates beyond it are refused with 4413. */
  maxDocumentBytes: 16 * 1024 * 1024,
  /** Messages per connection buffered before authentication finishes. */
  maxPreAuthMessages: 32,
  /** Heartbeat: a ping this often; a socket that missed one pong is dead (a disconnect shows within ~5 s). */
  heartbeatMs: 2_000,
  /**
   * Flow control: a client with this many of its messages not yet acknowledged holds further edits back and merges
   * them until the next acknowledgement. A node that falls behind then gets fewer, larger messages instead of a
   * queue that grows until the acknowledgements stop (docs/performance.md, "flow control").
   */
  maxUnackedMessages: 2,
} as const;
