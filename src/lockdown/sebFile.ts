import { createHash } from 'node:crypto';
import * as plist from 'plist';
import { configKey, type PlistValue } from './configKey.ts';

export interface SebSettingsInput {
  startUrl: string;
  quitUrl: string;
  quitPassword: string;
  examKeySalt: Buffer;
  /** Origin(s) the exam may load; everything else is blocked unless the aids allow the internet. */
  allowedOrigin: string;
  aids: { spellCheck?: boolean; internet?: boolean };
}

/**
 * The settings of a sitting's .seb file: SEB's own keys (SEB documentation, "Configuration Keys"), locked down
 * for a written exam — quitting needs the invigilators' password, no screen capture, no printing, no switching
 * to other applications, a URL filter that admits only Prøvesal unless the sitting allows the internet.
 */
export function sebSettings(i: SebSettingsInput): { [key: string]: PlistValue } {
  const host = new URL(i.allowedOrigin).host;
  return {
    startURL: i.startUrl,
    quitURL: i.quitUrl,
    quitURLConfirm: true,
    allowQuit: true,
    hashedQuitPassword: createHash('sha256').update(i.quitPassword, 'utf8').digest('hex'),
    sendBrowserExamKey: true,
    browserURLSalt: true,
    examKeySalt: i.examKeySalt,
    sebConfigPurpose: 0, // starting an exam (not configuring the client)
    browserViewMode: 1, // fullscreen
    mainBrowserWindowWidth: '100%',
    mainBrowserWindowHeight: '100%',
    enableBrowserWindowToolbar: false,
    showMenuBar: false,
    showTaskBar: true,
    showReloadButton: true,
    showTime: true,
    allowSpellCheck: i.aids.spellCheck === true,
    allowDictionaryLookup: false,
    allowDownUploads: false,
    allowPDFPlugIn: true, // the question paper is a PDF
    allowScreenSharing: false,
    allowVideoCapture: false,
    allowAudioCapture: false,
    allowSwitchToApplications: false,
    allowVirtualMachine: false,
    enablePrintScreen: false,
    enablePrivateClipboard: true,
    enableRightMouse: false,
    blockPopUpWindows: true,
    newBrowserWindowByLinkPolicy: 0,
    newBrowserWindowByScriptPolicy: 0,
    enableURLFilter: !i.aids.internet,
    URLFilterEnable: !i.aids.internet,
    URLFilterRules: i.aids.internet
      ? []
      : [
          { active: true, regex: false, expression: `${host}/*`, action: 1 }, // allow Prøvesal
          { active: true, regex: false, expression: '*', action: 0 }, // block everything else
        ],
  };
}

/** The plain XML-plist .seb document SEB opens. */
export const sebDocument = (settings: { [key: string]: PlistValue }): string => plist.build(settings as plist.PlistValue);

export { configKey };
