import { api, ApiError } from '../shell/api.ts';
import { announce, h } from '../shell/dom.ts';
import { currentLang, formatDateTime, tr } from '../shell/i18n.ts';
import type { VerifyResult } from './types.ts';

/** "Verificér fil": any PDF the grader holds is checked against its signature on the server. */
export function verifyPanel(): HTMLElement {
  const out = h('div', { id: 'verify-result', 'aria-live': 'polite' });
  const input = h('input', {
    id: 'verify-file',
    type: 'file',
    accept: 'application/pdf,.pdf',
    onchange: async () => {
      const file = input.files?.[0];
      if (!file) return;
      out.replaceChildren(h('p', { class: 'hint' }, tr('Kontrollerer …', 'Checking …')));
      try {
        const r = await api<VerifyResult>('/api/submissions/verify', { method: 'POST', body: file, headers: { 'content-type': 'application/pdf' } });
        out.replaceChildren(renderResult(file.name, r));
        announce(r.valid ? tr('Signaturen er gyldig.', 'The signature is valid.') : tr('Signaturen er ikke gyldig.', 'The signature is not valid.'));
      } catch (err) {
        out.replaceChildren(h('p', { class: 'error', role: 'alert' }, err instanceof ApiError ? err.detail : String(err)));
      }
    },
  });
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'verify-h' },
    h('h2', { id: 'verify-h' }, tr('Verificér fil', 'Verify file')),
    h(
      'p',
      { class: 'hint' },
      tr(
        'Vælg en PDF for at kontrollere, at den er uændret siden Prøvesal underskrev den.',
        'Choose a PDF to check that it is unchanged since Prøvesal signed it.',
      ),
    ),
    h('label', { for: 'verify-file' }, tr('PDF-fil', 'PDF file')),
    input,
    out,
  );
}

function renderResult(name: string, r: VerifyResult): HTMLElement {
  const msg = currentLang() === 'da' ? r.message.da : r.message.en;
  const rows: [string, string][] = [];
  if (r.examNumber) rows.push([tr('Prøvenummer', 'Exam number'), r.examNumber]);
  if (r.signer) rows.push([tr('Underskriver', 'Signer'), `${r.signer.commonName ?? ''} (${r.signer.organization ?? ''})`]);
  if (r.signer) rows.push([tr('Udsteder', 'Issuer'), issuerLabel(r)]);
  if (r.signingTime) rows.push([tr('Underskrevet', 'Signed'), formatDateTime(r.signingTime)]);
  if (r.answerSha256) rows.push([tr('SHA-256 af besvarelsen', 'SHA-256 of the answer'), r.answerSha256]);
  return h(
    'div',
    {},
    h(
      'p',
      { class: r.valid && r.trusted && !r.demoCertificate ? 'ok' : r.valid ? 'warn' : 'error' },
      h('strong', {}, r.valid ? tr('Gyldig', 'Valid') : tr('Ugyldig', 'Invalid')),
      ` – ${name}: ${msg}`,
    ),
    rows.length ? h('dl', {}, ...rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', { style: 'word-break: break-all' }, v)])) : null,
  );
}

/**
 * "Betroet" only when the signer chains to a trust anchor the service is configured with; the demo's self-made
 * certificate proves only that the file is unchanged since this installation signed it, and says so.
 */
function issuerLabel(r: VerifyResult): string {
  if (r.demoCertificate)
    return tr('Demo-certifikat (lavet af denne Prøvesal-installation, ikke betroet)', 'Demo certificate (made by this Prøvesal installation, not trusted)');
  if (r.trusted) return tr('Betroet: kæder til et konfigureret rodcertifikat', 'Trusted: chains to a configured trust anchor');
  return tr('Ikke betroet: udstederen kæder ikke til et konfigureret rodcertifikat', 'Not trusted: the issuer does not chain to a configured trust anchor');
}
