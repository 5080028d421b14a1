// Login storm: every candidate signs in during the last minutes before the start (bcrypt, cost 10).
//   k6 run -e BASE=https://staging.example.dk -e RAMP=300 loadtests/k6/loginStorm.js
import http from 'k6/http';
import { check, sleep } from 'k6';
import { login } from './lib.js';

const data = JSON.parse(open('./users.json'));
const BASE = __ENV.BASE || 'http://127.0.0.1:3000';

export const options = {
  scenarios: { storm: { executor: 'per-vu-iterations', vus: data.users.length, iterations: 1, maxDuration: `${Number(__ENV.RAMP || 300) + 120}s` } },
  thresholds: {
    checks: ['rate==1'], // nobody refused
    'http_req_duration{name:login}': ['p(99)<60000'],
    http_req_failed: ['rate==0'],
  },
};

export default function () {
  const u = data.users[__VU - 1];
  const delay = Math.random() * Number(__ENV.RAMP || 300); // pupils arrive over the lobby period
  sleep(delay);
  const res = login(http, BASE, u.username, data.password);
  check(res, { 'signed in': (r) => r.status === 200 });
}
