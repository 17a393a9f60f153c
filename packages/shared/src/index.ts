export * from './common.js';
export * from './identity.js';
export * from './channels.js';
export * from './conversations.js';
