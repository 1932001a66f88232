import { discordConnector } from './connectors/discord/discord-connector.js';
import { emailConnector } from './connectors/email/email-connector.js';
import { feedConnector } from './connectors/feed/feed-connector.js';
import { githubConnector } from './connectors/github/github-connector.js';
import { googleSheetsConnector } from './connectors/google-sheets/google-sheets-connector.js';
import { httpRequestConnector } from './connectors/http-request/http-request.js';
import { openAiConnector } from './connectors/openai/openai-connector.js';
import { postgresConnector } from './connectors/postgres/postgres-connector.js';
import { redisConnector } from './connectors/redis/redis-connector.js';
import { s3Connector } from './connectors/s3/s3-connector.js';
import { slackConnector } from './connectors/slack/slack-connector.js';
import { stripeConnector } from './connectors/stripe/stripe-connector.js';
import { teamsConnector } from './connectors/teams/teams-connector.js';
import { convertConnector } from './connectors/utility/convert-connector.js';
import { cryptoConnector } from './connectors/utility/crypto-connector.js';
import { dateTimeConnector } from './connectors/utility/date-time-connector.js';
import type { ConnectorDefinition } from './kit/define-connector.js';
import { coreTriggers } from './triggers/core-triggers.js';

/**
 * Every connector Weft ships, with default options (real API base URLs). A host registers them
 * with `connectorNodeTypes`; embedders pick the ones they want instead.
 *
 * @example
 * ```ts
 * const registry = new NodeRegistry().register(...builtinNodeTypes, ...builtinConnectors.flatMap(connectorNodeTypes), respondToWebhookNode);
 * ```
 */
export const builtinConnectors: ConnectorDefinition[] = [
  coreTriggers,
  httpRequestConnector,
  slackConnector,
  discordConnector,
  teamsConnector,
  emailConnector,
  githubConnector,
  stripeConnector,
  googleSheetsConnector,
  openAiConnector,
  postgresConnector,
  redisConnector,
  s3Connector,
  feedConnector,
  cryptoConnector,
  dateTimeConnector,
  convertConnector,
] as ConnectorDefinition[];
