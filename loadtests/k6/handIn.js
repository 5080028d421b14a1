// Hand-in storm: every candidate hands in at the same second; receipts must come at once (PDFs follow).
//   k6 run -e BASE=https://staging.example.dk loadtests/k6/handIn.js
import http from 'k6/http';
import { check } from 'k6';
import { login } from './lib.js';

const data = JSON.parse(open('./users.json'));
const BASE = __ENV.BASE || 'http://127.0.0.1:3000';

export const options = {
  scenarios: { handin: { executor: 'per-vu-iterations', vus: data.users.length, iterations: 1, maxDuration: '600s' } },
  thresholds: { 'http_req_duration{name:handin}': ['p(99)<5000'], checks: ['rate==1'] },
};

export function setup() {
  return { at: Date.now() + 60_000 };
} // one shared second for everyone

export default function (shared) {
  const u = data.users[__VU - 1];
  const res = login(http, BASE, u.username, data.password);
  if (!check(res, { 'signed in': (r) => r.status === 200 })) return;
  const cookie = res.headers['Set-Cookie'].split(';')[0];
  while (Date.now() < shared.at) http.get(`${BASE}/api/time`); // keep warm until the shared second
  const hand = http.post(`${BASE}/api/exam/registrations/${u.registrationId}/hand-in`, JSON.stringify({ confirm: true }), {
    headers: { 'content-type': 'application/json', cookie },
    tags: { name: 'handin' },
  });
  check(hand, { 'receipt issued': (r) => r.status === 200 && JSON.parse(r.body).sha256.length === 64 });
}
