export * from './frame-session.js';
export * from './message-channel.js';
export * from './protocol.js';
export * from './weft-embed.js';
