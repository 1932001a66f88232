import { describe, expect, it } from 'vitest';
import { hostCatalogue } from '../catalogue.test-support.js';
import { CatalogueIndex } from './catalogue-index.js';
import { tokenize } from './tokenize.js';

const index = new CatalogueIndex(hostCatalogue);
const best = (q: string, trigger = false) => index.search(q, { trigger, limit: 1 })[0]?.entry.type;

describe('CatalogueIndex', () => {
  it('splits identifiers and stems words', () => {
    expect(tokenize('googleSheets.appendRow')).toEqual(['google', 'sheet', 'append', 'row']);
    expect(tokenize('Posting the messages')).toEqual(['post', 'message']);
  });

  it('ranks actions by names, aliases, descriptions and synonyms', () => {
    expect(best('post a message to slack')).toBe('slack.sendMessage');
    expect(best('notify the ops channel on discord')).toBe('discord.sendMessage');
    expect(best('append a row to the spreadsheet')).toBe('googleSheets.appendRow');
    expect(best('upload the file to the bucket')).toBe('s3.putObject');
    expect(best('summarize it with gpt')).toBe('openai.chat');
  });

  it('searches triggers apart from actions', () => {
    expect(best('a stripe payment succeeds', true)).toBe('stripe.event');
    expect(best('a new issue is opened on github', true)).toBe('github.newIssue');
    expect(best('a webhook is called', true)).toBe('weft.webhook');
    expect(index.search('slack', { trigger: true }).every((h) => h.entry.trigger)).toBe(true);
  });

  it('reads which apps a text names, from unstemmed words', () => {
    expect(index.mentionedApps('post to the team on Slack')).toEqual(['slack']);
    expect(index.mentionedApps('send it to Microsoft Teams and Google Sheets')).toEqual(
      expect.arrayContaining(['teams', 'googleSheets']),
    );
    expect(best('post to the team on slack')).toBe('teams.sendMessage');
    expect(index.search('post to the team on slack', { apps: ['slack'], limit: 1 })[0]?.entry.type).toBe(
      'slack.sendMessage',
    );
  });

  it('finds nothing for words the catalogue does not have', () => {
    expect(index.search('teleport cat mars')).toEqual([]);
  });
});
