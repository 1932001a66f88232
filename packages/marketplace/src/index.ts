export * from './instantiate-template.js';
export * from './marketplace.js';
export * from './marketplace-error.js';
export * from './payment-provider.js';
export * from './render-markdown.js';
export * from './strip-workflow.js';
export * from './stripe-payments.js';
export * from './template-listing.js';
