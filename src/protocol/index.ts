/** The wire contract of Prøvesal in one place: server, browser client and load generator import it from here. */
export * from './answerDocument.ts';
export * from './closeCodes.ts';
export * from './codec.ts';
export * from './control.ts';
export * from './limits.ts';
export * from './liveEvents.ts';
export * from './lockdownEvents.ts';
export * from './messageTypes.ts';
export * from './attachments.ts';
