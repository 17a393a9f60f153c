export * from './common.js';
export * from './identity.js';
export * from './channels.js';
export * from './conversations.js';
export * from './knowledge.js';
export * from './ai.js';
export * from './health.js';
export * from './webhooks.js';
