import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AnswerClose, isFinalClose, LiveRoomClose, LobbyClose, NationalClose } from '../../src/protocol/closeCodes.ts';
import { PROTOCOL_JSON_PATH, protocolJson } from '../../src/protocol/exportJson.ts';

describe('wire protocol', () => {
  it('the k6 scripts read the same contract the server speaks (run npm run protocol:json after a change)', () => {
    expect(readFileSync(PROTOCOL_JSON_PATH, 'utf8')).toBe(protocolJson());
  });

  it('no two meanings share a close code within one socket', () => {
    for (const table of [AnswerClose, LobbyClose, LiveRoomClose, NationalClose]) {
      const codes = Object.values(table).map((c) => c.code);
      expect(new Set(codes).size).toBe(codes.length);
    }
  });

  it('a restart or a failed load is retried by clients, a refusal is final', () => {
    expect(isFinalClose(AnswerClose.restarting.code)).toBe(false);
    expect(isFinalClose(AnswerClose.loadFailed.code)).toBe(false);
    expect(isFinalClose(AnswerClose.replaced.code)).toBe(true);
    expect(isFinalClose(AnswerClose.tooEarly.code)).toBe(true);
  });
});
