import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { UnauthenticatedError } from '../../../common/errors/domain-error';
import { resolveActor } from '../../../common/graphql/graphql-options';
import { AuthService } from '../../../identity/auth.service';
import { InboundAdminService } from './inbound-admin.service';

/**
 * `GET /email/inbound/:id/raw` — admins download a received mail exactly as it arrived
 * (`message/rfc822`, as an attachment), to inspect a mail that failed or to hand it on.
 * A bearer API token of an admin or the admin's session cookie; anyone else gets 403 before
 * the mail is even looked up, so the answer says nothing about which mails exist.
 */
@Controller('email/inbound')
export class InboundRawController {
  constructor(
    private readonly admin: InboundAdminService,
    private readonly auth: AuthService,
  ) {}

  @Get(':id/raw')
  async raw(@Param('id') id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const actor = await resolveActor(this.auth, req.headers.authorization, req.headers.cookie).catch(() => null);
    if (!actor) throw new UnauthenticatedError();
    const mailId = /^[1-9]\d{0,15}$/.test(id) ? Number(id) : NaN;
    const raw = await this.admin.raw(actor, Number.isSafeInteger(mailId) ? mailId : -1);
    res.status(200);
    res.setHeader('Content-Type', 'message/rfc822');
    res.setHeader('Content-Length', String(raw.length));
    res.setHeader('Content-Disposition', `attachment; filename="mail-${mailId}.eml"`);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
    res.setHeader('Cache-Control', 'private, no-store');
    res.end(raw);
  }
}
