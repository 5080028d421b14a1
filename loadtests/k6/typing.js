// Typing over the answer websocket with the real y-websocket sync messages; measures send → persisted ack.
//   npx tsx loadtests/k6/generateUpdates.ts && k6 run -e BASE=https://staging.example.dk -e MINUTES=10 loadtests/k6/typing.js
import http from 'k6/http';
import ws from 'k6/ws';
import { check } from 'k6';
import { Trend, Counter } from 'k6/metrics';
import { b64, login, persistedCount, syncMessage } from './lib.js';

const data = JSON.parse(open('./users.json'));
const updates = JSON.parse(open('./updates.json')).map(b64);
const BASE = __ENV.BASE || 'http://127.0.0.1:3000';
const ack = new Trend('answer_ack_ms', true);
const unacked = new Counter('answer_unacked');

export const options = {
  scenarios: { typing: { executor: 'per-vu-iterations', vus: data.users.length, iterations: 1, maxDuration: `${Number(__ENV.MINUTES || 10) * 60 + 300}s` } },
  thresholds: {
    answer_ack_ms: ['p(99)<250'], // target: send → durable ack (issue targets in the README)
    answer_unacked: ['count==0'], // every update acknowledged
    checks: ['rate==1'],
  },
};

export default function () {
  const u = data.users[__VU - 1];
  const res = login(http, BASE, u.username, data.password);
  if (!check(res, { 'signed in': (r) => r.status === 200 })) return;
  const cookie = res.headers['Set-Cookie'].split(';')[0];
  const url = `${BASE.replace(/^http/, 'ws')}/ws/answer/${u.registrationId}`;
  const sentAt = [];
  let acked = 0,
    i = 0;
  const r = ws.connect(url, { headers: { cookie } }, (socket) => {
    socket.on('binaryMessage', (buf) => {
      const bytes = new Uint8Array(buf);
      if (bytes[0] === 0 && bytes[1] === 0) {
        // server's sync step 1: answer with an empty step 2
        socket.sendBinary(syncMessage(1, [0, 0]));
        sentAt.push(Date.now());
        socket.setInterval(
          () => {
            if (i >= updates.length) return;
            socket.sendBinary(syncMessage(2, updates[i++]));
            sentAt.push(Date.now());
          },
          300 + Math.random() * 100,
        );
        socket.setTimeout(() => socket.close(), Number(__ENV.MINUTES || 10) * 60_000);
        return;
      }
      const count = persistedCount(buf);
      if (count === null) return;
      for (; acked < count && acked < sentAt.length; acked++) ack.add(Date.now() - sentAt[acked]);
    });
  });
  check(r, { 'websocket opened': (x) => x && x.status === 101 });
  unacked.add(Math.max(0, sentAt.length - acked));
}
