import { Controller, Param, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import multer, { MulterError } from 'multer';
import { DomainError, UnauthenticatedError, ValidationError } from '../../../common/errors/domain-error';
import { ErrorCode } from '../../../common/errors/error-codes';
import { IntakeService } from '../inbound/intake.service';
import { MailboxesService } from '../mailboxes/mailboxes.service';
import { webhookSecretMatches } from '../mailboxes/secrets';

/** Form fields in which forwarding providers put the raw message (SendGrid `email`, Mailgun `body-mime`). */
const RAW_FIELDS = ['email', 'body-mime', 'raw', 'message', 'mime'];

/**
 * `POST /webhooks/email/:mailboxId`: raw MIME from a forwarding provider or script. The body is
 * the message itself (`message/rfc822`, `application/octet-stream`, `text/plain`), or a form
 * with it in one of the usual fields. The mailbox's webhook secret comes as a bearer token, in
 * `X-Sori-Webhook-Secret`, or as `?secret=` for providers that only take a URL. Answers 202 once
 * the raw mail is committed; an unknown mailbox and a wrong secret look the same (401).
 */
@Controller('webhooks/email')
export class EmailWebhookController {
  constructor(
    private readonly intake: IntakeService,
    private readonly mailboxes: MailboxesService,
  ) {}

  @Post(':mailboxId')
  async receive(
    @Param('mailboxId', ParseUUIDPipe) mailboxId: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const mailbox = await this.mailboxes.byId(mailboxId);
    const secret =
      /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1] ??
      (req.headers['x-sori-webhook-secret'] as string | undefined) ??
      (typeof req.query.secret === 'string' ? req.query.secret : undefined);
    if (!mailbox?.isActive || !webhookSecretMatches(secret, mailbox.webhookSecretHash)) {
      throw new UnauthenticatedError('Unknown mailbox or wrong webhook secret.');
    }
    const raw = req.is('multipart/form-data') ? await this.fromForm(req, res) : await this.fromBody(req);
    if (!raw.length) throw new ValidationError('The body is empty: send the raw message.');
    const stored = await this.intake.store({ raw, source: 'webhook', mailboxId: mailbox.id });
    res.status(202).json({ id: String(stored.id), duplicate: stored.duplicate });
  }

  private async fromBody(req: Request): Promise<Buffer> {
    const max = this.intake.maxBytes;
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > max) throw this.tooLarge();
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > max) throw this.tooLarge();
      chunks.push(chunk);
    }
    return Buffer.concat(chunks, size);
  }

  private fromForm(req: Request, res: Response): Promise<Buffer> {
    const max = this.intake.maxBytes;
    const middleware = multer({
      storage: multer.memoryStorage(),
      limits: { fileSize: max, fieldSize: max, files: 1, fields: 50 },
    }).any();
    return new Promise((resolve, reject) => {
      middleware(req, res, (err: unknown) => {
        if (err instanceof MulterError && (err.code === 'LIMIT_FILE_SIZE' || err.code === 'LIMIT_FIELD_VALUE')) {
          return reject(this.tooLarge());
        }
        if (err) return reject(new ValidationError('The multipart/form-data body is malformed.'));
        const file = (req.files as Express.Multer.File[] | undefined)?.find((f) => RAW_FIELDS.includes(f.fieldname));
        const body = req.body as Record<string, unknown> | undefined;
        const field = RAW_FIELDS.map((name) => body?.[name]).find((v): v is string => typeof v === 'string');
        if (file) return resolve(file.buffer);
        if (field !== undefined) return resolve(Buffer.from(field, 'utf8'));
        reject(new ValidationError(`Put the raw message in a field named ${RAW_FIELDS.join(', ')}.`));
      });
    });
  }

  private tooLarge(): DomainError {
    return new DomainError(ErrorCode.PAYLOAD_TOO_LARGE, `Messages can be at most ${this.intake.maxBytes} bytes.`, {
      maxBytes: this.intake.maxBytes,
    });
  }
}
