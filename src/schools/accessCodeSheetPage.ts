import { createHash } from 'node:crypto';
import { html, raw } from 'hono/html';
import { copenhagenDanish, copenhagenLocal } from '../scheduling/localTime.ts';
import type { AccessCodeSheet } from './accessCodeSheet.ts';

// One constant stylesheet, so the page's policy can allow exactly it by hash and nothing else inline.
const SHEET_STYLE =
  'body{font-family:system-ui,sans-serif}table{border-collapse:collapse;width:100%}td,th{border:1px solid #999;padding:6px}' +
  '.code{font-family:monospace;font-size:1.3em;letter-spacing:.08em}@media print{tr{page-break-inside:avoid}}';

/**
 * The sheet's own Content-Security-Policy, stricter than the app's (http/securityHeaders.ts keeps a handler's):
 * it carries live one-time codes, so nothing but its own stylesheet may load or run, and no page may frame it.
 */
export const ACCESS_CODE_SHEET_CSP =
  `default-src 'none'; style-src 'sha256-${createHash('sha256').update(SHEET_STYLE).digest('base64')}'; ` +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The printable access-code sheet in Danish: one row per pupil, rows never split across printed pages. */
export const accessCodeSheetPage = (sheet: AccessCodeSheet) =>
  html`<!doctype html>
    <html lang="da">
      <head>
        <meta charset="utf-8" />
        <title>Engangskoder</title>
        <style>
          ${raw(SHEET_STYLE)}
        </style>
      </head>
      <body>
        <h1>Engangskoder</h1>
        <p id="validity">
          Gælder til prøvens slutning, ${copenhagenDanish(sheet.expiresAt)}. En elev med forlænget tid kan bruge sin kode til sin egen slutning. Hver kode kan
          bruges én gang.
        </p>
        <table>
          <thead>
            <tr>
              <th>Prøvenr.</th>
              <th>Navn</th>
              <th>Klasse</th>
              <th>Kode</th>
              <th>Gælder til</th>
            </tr>
          </thead>
          <tbody>
            ${sheet.codes.map(
              (r) =>
                html`<tr>
                  <td>${r.examNumber}</td>
                  <td>${r.name}</td>
                  <td>${r.className}</td>
                  <td class="code">${r.code}</td>
                  <td>kl. ${copenhagenLocal(r.validUntil).slice(11)}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </body>
    </html>`;
