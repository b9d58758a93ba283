import { assertPublicUrl, OutboundError } from '@classifyd/outbound';
import { AppError, type ValidationIssue, type WebhookConfiguration } from '@classifyd/shared';

const DNS_WAIT_MS = 2000;

/**
 * Refuses at create a webhook that could never be delivered: its URL does not parse, or
 * its host is a loopback, private or metadata address. Otherwise the job would run and the
 * webhook be dropped with only a worker log line to show for it. Delivery checks again, at connect time. A
 * name that does not resolve now, or not within DNS_WAIT_MS, is let through: DNS may be
 * down for a moment, and delivery retries.
 */
export async function assertDeliverableWebhooks(
  webhooks: Pick<WebhookConfiguration, 'webhook_url'>[],
  allowPrivate: boolean,
  loc: (i: number) => (string | number)[] = (i) => ['body', 'webhook_configurations', i, 'webhook_url'],
): Promise<void> {
  const urls = webhooks.map((webhook) => URL.parse(webhook.webhook_url));
  const unparsable = urls.flatMap((url, i): ValidationIssue[] =>
    url === null || url.hostname === ''
      ? [
          {
            loc: loc(i),
            msg: 'webhook_url is not a URL with a host, such as https://example.com/hook',
            type: 'url_parsing',
          },
        ]
      : [],
  );
  if (unparsable.length > 0) throw AppError.validation(unparsable);
  if (allowPrivate) return;
  const issues = await Promise.all(
    (urls as URL[]).map(async (url, i): Promise<ValidationIssue | null> => {
      try {
        // A resolver that does not answer must not hold up the create: delivery checks anyway.
        const unanswered = new Promise<void>((resolve) => setTimeout(resolve, DNS_WAIT_MS).unref());
        await Promise.race([assertPublicUrl(url, false), unanswered]);
        return null;
      } catch (error) {
        if (!(error instanceof OutboundError)) throw error;
        if (!error.permanent) return null;
        return {
          loc: loc(i),
          msg: `webhook_url points at ${url.hostname}, a private or local address, where classifyd does not deliver webhooks`,
          type: 'value_error',
        };
      }
    }),
  );
  const refused = issues.filter((issue): issue is ValidationIssue => issue !== null);
  if (refused.length > 0) throw AppError.validation(refused);
}
