/**
 * The wire contract as JSON for the k6 scripts (k6 runs plain JavaScript and cannot import TypeScript):
 * `npm run protocol:json` writes loadtests/k6/protocol.json; a unit test fails when it is stale.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AnswerClose, LiveRoomClose, LobbyClose, NationalClose } from './closeCodes.ts';
import { ANSWER_LIMITS } from './limits.ts';
import { MessageType } from './messageTypes.ts';

export const protocolJson = () =>
  JSON.stringify(
    { messageType: MessageType, close: { answer: AnswerClose, lobby: LobbyClose, liveRoom: LiveRoomClose, national: NationalClose }, limits: ANSWER_LIMITS },
    null,
    2,
  ) + '\n';

export const PROTOCOL_JSON_PATH = fileURLToPath(new URL('../../loadtests/k6/protocol.json', import.meta.url));

if (process.argv[1] === fileURLToPath(import.meta.url)) writeFileSync(PROTOCOL_JSON_PATH, protocolJson());
