import type { LookupAddress } from 'node:dns';
import type { JsonObject } from '@weft/engine';
import { Auth } from '../../auth/auth-scheme.js';
import { AddressPolicy } from '../../http/address-policy.js';
import { resolveAllowedAddress } from '../../http/resolve-allowed-address.js';
import { defineAction } from '../../kit/define-action.js';
import { defineConnector } from '../../kit/define-connector.js';
import { importOptionalPeer } from '../../kit/import-optional-peer.js';
import { Property } from '../../kit/property.js';
import { svgIcon } from '../../kit/svg-icon.js';

/**
 * Options of {@link createEmailConnector}.
 *
 * @example
 * ```ts
 * createEmailConnector({ allow: ['10.0.0.25'], timeoutMs: 10_000 } satisfies EmailConnectorOptions);
 * ```
 */
export interface EmailConnectorOptions {
  /** Addresses or ranges the SMTP host may resolve to although they are private (tests: loopback). */
  allow?: readonly string[];
  /** DNS resolution, replaceable in tests. */
  resolve?: (host: string) => Promise<LookupAddress[]>;
  /** Connection, greeting and socket timeout. Default 15 s. */
  timeoutMs?: number;
}

type Smtp = { host: string; port: number; secure: boolean; username?: string; password?: string; from?: string };

function smtpOf(data: JsonObject | undefined): Smtp {
  const host = String(data?.host ?? '').trim();
  if (!host) throw new Error('SMTP credential: host is missing');
  const port = Number(data?.port ?? 587);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new Error(`SMTP credential: port ${String(data?.port)} is not a port number`);
  return {
    host,
    port,
    secure: data?.secure === true,
    ...(typeof data?.username === 'string' && data.username ? { username: data.username } : {}),
    ...(typeof data?.password === 'string' ? { password: data.password } : {}),
    ...(typeof data?.from === 'string' && data.from ? { from: data.from } : {}),
  };
}

/**
 * Creates the Email (SMTP) connector. The SMTP host is resolved and checked like HTTP targets
 * (no private, loopback or metadata addresses unless `allow` names them) and the connection goes
 * to the checked address, with TLS still verifying the host name.
 *
 * @example
 * ```ts
 * registry.register(...connectorNodeTypes(createEmailConnector(), runtime));
 * ```
 */
export function createEmailConnector(options: EmailConnectorOptions = {}) {
  const policy = new AddressPolicy({ allow: options.allow ?? [] });
  const resolve = options.resolve;
  const timeout = options.timeoutMs ?? 15_000;

  async function transport(smtp: Smtp) {
    const address = await resolveAllowedAddress(smtp.host, policy, resolve);
    const { createTransport } = await importOptionalPeer(() => import('nodemailer'), 'nodemailer', 'Email connector');
    return createTransport({
      host: address,
      port: smtp.port,
      secure: smtp.secure,
      tls: { servername: smtp.host },
      name: 'weft',
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
      ...(smtp.username ? { auth: { user: smtp.username, pass: smtp.password ?? '' } } : {}),
    });
  }

  const smtp = Auth.custom({
    type: 'email.smtp',
    displayName: 'SMTP server',
    fields: {
      host: Property.ShortText({ label: 'Host', required: true, expressions: false }),
      port: Property.Number({ label: 'Port', default: 587, integer: true, min: 1, max: 65535 }),
      secure: Property.Checkbox({ label: 'Implicit TLS (port 465)', default: false }),
      username: Property.ShortText({ label: 'Username', expressions: false }),
      password: Property.SecretText({ label: 'Password', expressions: false }),
      from: Property.ShortText({
        label: 'Default sender',
        placeholder: 'Weft <robot@example.com>',
        expressions: false,
      }),
    },
    sign: () => {},
    test: async ({ data }) => {
      const t = await transport(smtpOf(data));
      try {
        await t.verify();
      } finally {
        t.close();
      }
    },
  });

  const sendEmail = defineAction({
    name: 'sendEmail',
    displayName: 'Send email',
    description: 'Sends an email through the SMTP server, with optional attachments from binary data',
    sideEffects: 'once',
    props: {
      to: Property.ShortText({ label: 'To', required: true, description: 'Comma-separated addresses' }),
      cc: Property.ShortText({ label: 'Cc' }),
      bcc: Property.ShortText({ label: 'Bcc' }),
      from: Property.ShortText({ label: 'From', description: "Default: the credential's sender" }),
      replyTo: Property.ShortText({ label: 'Reply-To' }),
      subject: Property.ShortText({ label: 'Subject', required: true }),
      text: Property.LongText({ label: 'Text body' }),
      html: Property.Code({ label: 'HTML body', language: 'html' }),
      attachments: Property.ShortText({
        label: 'Attach binary properties',
        description: 'Comma-separated, e.g. data,invoice',
      }),
    },
    sample: { messageId: '<id@weft>', accepted: ['ada@example.com'], rejected: [] },
    run: async (ctx) => {
      const p = ctx.props;
      const server = smtpOf(ctx.credential?.data);
      const from = p.from || server.from;
      if (!from) throw new Error('Email: give From, or a default sender in the SMTP credential');
      if (!p.text && !p.html) throw new Error('Email: give a text or an HTML body');
      const attachments = [];
      for (const name of (p.attachments ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)) {
        const ref = ctx.item?.binary?.[name];
        if (!ref) throw new Error(`Email: the input item has no binary property "${name}" to attach`);
        attachments.push({
          filename: ref.fileName ?? name,
          contentType: ref.mimeType,
          content: Buffer.from(await ctx.binary.get(ref)),
        });
      }
      const t = await transport(server);
      try {
        const info = await t.sendMail({
          from,
          to: p.to,
          ...(p.cc ? { cc: p.cc } : {}),
          ...(p.bcc ? { bcc: p.bcc } : {}),
          ...(p.replyTo ? { replyTo: p.replyTo } : {}),
          subject: p.subject,
          ...(p.text ? { text: p.text } : {}),
          ...(p.html ? { html: p.html } : {}),
          attachments,
        });
        const list = (v: unknown) =>
          Array.isArray(v)
            ? v.map((a) => (typeof a === 'string' ? a : String((a as { address?: string }).address)))
            : [];
        return {
          messageId: String(info.messageId),
          accepted: list(info.accepted),
          rejected: list(info.rejected),
          response: String(info.response ?? ''),
        };
      } finally {
        t.close();
      }
    },
  });

  return defineConnector({
    name: 'email',
    displayName: 'Email (SMTP)',
    description: 'Send email through any SMTP server.',
    version: '1.0.0',
    icon: svgIcon('#C2410C', '<rect x="4" y="6" width="16" height="12" rx="1.5"/><path d="m4.5 7 7.5 6 7.5-6"/>'),
    auth: smtp,
    actions: [sendEmail],
  });
}

/**
 * The Email connector with the default policy (public SMTP hosts only).
 *
 * @example
 * ```ts
 * registry.register(...connectorNodeTypes(emailConnector, runtime));
 * ```
 */
export const emailConnector = createEmailConnector();
