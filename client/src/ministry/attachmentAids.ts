import { ATTACHMENT_KINDS, type AttachmentKind } from '../../../src/protocol/attachments.ts';
import { h } from '../shell/dom.ts';
import { tr } from '../shell/i18n.ts';

const KIND_LABELS: Record<AttachmentKind, [string, string]> = {
  image: ['Billeder', 'Images'],
  pdf: ['PDF', 'PDF'],
  ggb: ['GeoGebra (.ggb)', 'GeoGebra (.ggb)'],
  xlsx: ['Regneark (.xlsx)', 'Spreadsheet (.xlsx)'],
  ods: ['Regneark (.ods)', 'Spreadsheet (.ods)'],
  docx: ['Word-dokument (.docx)', 'Word document (.docx)'],
};

/**
 * "Vedhæftede filer" in the sitting form: one labelled checkbox per kind of file pupils may attach (the aids profile's
 * `attachments`, docs/rules.md §15). None ticked sends `false`: no attachments.
 */
export function attachmentAids(): { el: HTMLFieldSetElement; chosen: () => AttachmentKind[] | false } {
  const boxes = ATTACHMENT_KINDS.map((kind) => {
    const box = h('input', { type: 'checkbox', value: kind, id: `s-attach-${kind}`, name: 'attachments' });
    const [da, en] = KIND_LABELS[kind];
    return { kind, box, row: h('li', {}, box, ' ', h('label', { for: `s-attach-${kind}` }, tr(da, en))) };
  });
  const el = h(
    'fieldset',
    { class: 'attachment-aids', 'aria-describedby': 's-attach-hint' },
    h('legend', {}, tr('Vedhæftede filer', 'Attachments')),
    h('p', { class: 'hint', id: 's-attach-hint' }, tr('Hvilke filer eleverne må vedhæfte besvarelsen.', 'Which files pupils may attach to their answer.')),
    h('ul', { class: 'school-list' }, ...boxes.map((b) => b.row)),
  );
  return {
    el,
    chosen: () => {
      const kinds = boxes.filter((b) => b.box.checked).map((b) => b.kind);
      return kinds.length ? kinds : false;
    },
  };
}
