import { describe, expect, it } from 'vitest';
import { requestUrl } from '../../src/http/requestUrl.ts';

const direct = { PUBLIC_BASE_URL: undefined, TRUST_PROXY: false };
const proxied = { PUBLIC_BASE_URL: undefined, TRUST_PROXY: true };
const publicBase = { PUBLIC_BASE_URL: 'https://provesal.example.dk', TRUST_PROXY: true };

describe('the URL the client requested', () => {
  it('uses the Host header directly and ignores forwarded headers unless the proxy is trusted', () => {
    const h = new Headers({ host: '127.0.0.1:3000', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'evil.example' });
    expect(requestUrl('/api/exam?x=1', h, direct)).toBe('http://127.0.0.1:3000/api/exam?x=1');
  });

  it('behind a trusted proxy takes the forwarded proto and host', () => {
    const h = { host: 'app1:3000', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'provesal.example.dk' };
    expect(requestUrl('/api/exam', h, proxied)).toBe('https://provesal.example.dk/api/exam');
  });

  it('PUBLIC_BASE_URL wins over every header', () => {
    const h = new Headers({ host: 'evil.example', 'x-forwarded-host': 'evil.example' });
    expect(requestUrl('/api/exam', h, publicBase)).toBe('https://provesal.example.dk/api/exam');
  });

  it('gives a websocket upgrade the ws/wss scheme, for node and fetch headers alike', () => {
    expect(requestUrl('/ws/answers/7', { host: '127.0.0.1:3000', upgrade: 'websocket' }, direct)).toBe('ws://127.0.0.1:3000/ws/answers/7');
    expect(requestUrl('/ws/answers/7', new Headers({ upgrade: 'websocket' }), publicBase)).toBe('wss://provesal.example.dk/ws/answers/7');
  });

  it('never lets the request target or a Host header with a path move the URL to another host', () => {
    expect(requestUrl('//evil.example/x', {}, publicBase)).toBe('https://provesal.example.dk//evil.example/x');
    expect(requestUrl('http://evil.example/x?y', { host: 'p.dk' }, direct)).toBe('http://p.dk/x?y');
    expect(requestUrl('/x', { host: 'evil.example/steal?' }, direct)).toBe('http://localhost/x');
  });
});
