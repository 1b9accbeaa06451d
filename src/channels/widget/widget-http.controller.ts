import {
  Body,
  Controller,
  Get,
  Headers,
  Ip,
  Options,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import multer, { MulterError } from 'multer';
import { SYSTEM_ACTOR } from '../../common/auth/actor';
import { DomainError, NotFoundError, RateLimitedError, ValidationError } from '../../common/errors/domain-error';
import { ErrorCode } from '../../common/errors/error-codes';
import { AttachmentsService } from '../../conversations/attachments/attachments.service';
import { contentDisposition } from '../../conversations/attachments/filenames';
import { onColorFor } from './appearance';
import { SlidingWindow } from './rate-limits';
import { RulesAndBlocksService } from './rules-blocks.service';
import { widgetAsset } from './widget-assets';
import { verifyVisitorToken } from './visitor-token';
import { VisitorsRepository } from './visitors.repository';
import { VisitorsService } from './visitors.service';
import { WidgetMessagesMapper } from './widget-messages.mapper';
import { WidgetsService } from './widgets.service';

/** Files visitors may send: pictures, PDFs and plain text, at most 10 MB. */
const VISITOR_UPLOAD_BYTES = 10 * 1024 * 1024;
const VISITOR_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf', 'text/plain'];

function cors(res: Response): void {
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
  res.setHeader('Access-Control-Allow-Headers', 'Content-Type');
  res.setHeader('Access-Control-Max-Age', '600');
}

/**
 * The widget's HTTP surface: `/widget.js` (the loader), `/widget/app.js`, a widget's public look
 * (`/widget/:id/config`), new visitor tokens, visitor uploads, signed downloads and a preview page.
 * Called cross-origin from customers' sites, without cookies.
 */
@Controller()
export class WidgetHttpController {
  private readonly uploadsPerVisitor = new SlidingWindow(10, 60_000);

  constructor(
    private readonly widgets: WidgetsService,
    private readonly visitors: VisitorsService,
    private readonly visitorsRepo: VisitorsRepository,
    private readonly attachments: AttachmentsService,
    private readonly mapper: WidgetMessagesMapper,
    private readonly rules: RulesAndBlocksService,
  ) {}

  @Get('widget.js')
  loader(@Req() req: Request, @Res() res: Response): void {
    this.sendAsset(req, res, 'widget.js', 'public, max-age=300');
  }

  @Get('widget/app.js')
  app(@Req() req: Request, @Res() res: Response): void {
    this.sendAsset(req, res, 'app.js', 'public, max-age=86400');
  }

  private sendAsset(req: Request, res: Response, name: 'widget.js' | 'app.js', cacheControl: string): void {
    const asset = widgetAsset(name);
    if (!asset) {
      res.status(503).json({ error: { code: 'SERVICE_UNAVAILABLE', message: 'Run npm run build:widget.' } });
      return;
    }
    cors(res);
    res.setHeader('Content-Type', 'application/javascript; charset=utf-8');
    res.setHeader('Cache-Control', cacheControl);
    res.setHeader('ETag', asset.etag);
    res.setHeader('Vary', 'Accept-Encoding');
    if (req.headers['if-none-match'] === asset.etag) {
      res.status(304).end();
      return;
    }
    if (/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
      res.setHeader('Content-Encoding', 'gzip');
      res.send(asset.gzip);
      return;
    }
    res.send(asset.body);
  }

  @Options(['widget/:id/config', 'widget/:id/visitors', 'widget/files'])
  preflight(@Res() res: Response): void {
    cors(res);
    res.status(204).end();
  }

  /** What the loader needs to draw the launcher before anything else loads. */
  @Get('widget/:id/config')
  async config(@Param('id', ParseUUIDPipe) id: string, @Res() res: Response): Promise<void> {
    const w = await this.widgets.getActive(id);
    const rules = await this.rules.activeRules(id);
    cors(res);
    res.setHeader('Cache-Control', 'public, max-age=60');
    res.json({
      id: w.id,
      name: w.name,
      mode: w.mode,
      color: w.color,
      onColor: onColorFor(w.color).color,
      logoUrl: w.logoUrl,
      position: w.position,
      launcherText: w.launcherText,
      greeting: w.greeting,
      greetingKo: w.greetingKo,
      locale: w.locale,
      requireIdentified: w.requireIdentified,
      hasProactiveRules: rules.length > 0,
    });
  }

  /** A new anonymous visitor: `{ token, visitorId }`. Body (JSON or text): locale, timezone, referrer. */
  @Post('widget/:id/visitors')
  async createVisitor(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: unknown,
    @Ip() ip: string,
    @Headers('user-agent') userAgent: string | undefined,
    @Headers('origin') origin: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    cors(res);
    const info = parseJsonish(body);
    const { visitor, token } = await this.visitors.create(id, {
      ip,
      userAgent,
      origin,
      locale: typeof info.locale === 'string' ? info.locale : null,
      timezone: typeof info.timezone === 'string' ? info.timezone.slice(0, 64) : null,
      referrer: typeof info.referrer === 'string' ? info.referrer : null,
    });
    res.status(201).json({ visitorId: visitor.id, token });
  }

  /** Multipart with fields `token` (first) and `file`: `{ id, filename, size, contentType }`. */
  @Post('widget/files')
  async upload(@Req() req: Request, @Res() res: Response): Promise<void> {
    cors(res);
    await this.receive(req, res);
    const token = (req.body as Record<string, unknown> | undefined)?.token;
    const claims = verifyVisitorToken(this.widgets.secret, token);
    const visitor = claims && (await this.visitorsRepo.findVisitor(claims.visitorId));
    if (!claims || !visitor || visitor.tokenVersion !== claims.version) {
      throw new DomainError(ErrorCode.VISITOR_TOKEN_INVALID, 'Send the visitor token in the "token" field.');
    }
    const wait = this.uploadsPerVisitor.hit(visitor.id);
    if (wait) throw new RateLimitedError(wait);
    const file = req.file;
    if (!file) throw new ValidationError('Send the file as multipart/form-data in a field named "file".');
    const attachment = await this.attachments.storeBuffer(file.buffer, file.originalname, file.mimetype);
    if (!VISITOR_TYPES.includes(attachment.contentType)) {
      throw new DomainError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, 'Send a picture, a PDF or a text file.');
    }
    await this.visitorsRepo.insertUpload(attachment.id, visitor.id);
    res.status(201).json({
      id: attachment.id,
      filename: attachment.filename,
      size: attachment.sizeBytes,
      contentType: attachment.contentType,
    });
  }

  @Get('widget/files/:id')
  async download(
    @Param('id', ParseUUIDPipe) id: string,
    @Query('exp') exp: string,
    @Query('sig') sig: string,
    @Res() res: Response,
  ): Promise<void> {
    if (!exp || !sig || !this.mapper.verifyFileUrl(id, exp, sig)) throw new NotFoundError('Attachment', id);
    const { attachment, stream } = await this.attachments.open(SYSTEM_ACTOR, id);
    cors(res);
    res.setHeader('Content-Type', attachment.contentType);
    res.setHeader('Content-Length', String(attachment.sizeBytes));
    res.setHeader('Content-Disposition', contentDisposition(attachment.filename));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
    res.setHeader('Cache-Control', 'private, max-age=86400');
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  }

  /**
   * A blank page with the widget on it, for admins trying their settings. The query may carry
   * unsaved appearance settings (`color`, `launcherText`, `position`, `greeting`, `greetingKo`, `locale`,
   * `logoUrl`; `open=1` opens the panel), which the loader draws instead of the saved ones.
   */
  @Get('widget/:id/preview')
  async preview(
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: Record<string, unknown>,
    @Res() res: Response,
  ): Promise<void> {
    const w = await this.widgets.getActive(id);
    const look = previewLook(query);
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.setHeader('Cache-Control', 'no-store');
    res.send(
      `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
        `<title>${escape(w.name)} – preview</title></head><body style="margin:0;font-family:system-ui;background:#f3f4f6">` +
        PREVIEW_SITE +
        `<script>window.Sori=window.Sori||function(){(Sori.q=Sori.q||[]).push(arguments)}${query.open === '1' ? ";Sori('open')" : ''}</script>` +
        `<script async src="/widget.js" data-sori-widget="${w.id}"` +
        (Object.keys(look).length ? ` data-sori-preview="${escape(JSON.stringify(look))}"` : '') +
        `></script></body></html>`,
    );
  }

  private receive(req: Request, res: Response): Promise<void> {
    const middleware = multer({
      storage: multer.memoryStorage(),
      limits: { fileSize: VISITOR_UPLOAD_BYTES, files: 1, fields: 2, parts: 3, fieldSize: 512 },
    }).single('file');
    return new Promise((resolve, reject) => {
      middleware(req, res, (err: unknown) => {
        if (!err) return resolve();
        if (err instanceof MulterError && err.code === 'LIMIT_FILE_SIZE') {
          return reject(new DomainError(ErrorCode.PAYLOAD_TOO_LARGE, 'Files can be at most 10 MB.'));
        }
        reject(new ValidationError('The upload is malformed.'));
      });
    });
  }
}

function parseJsonish(body: unknown): Record<string, unknown> {
  if (body && typeof body === 'object') return body as Record<string, unknown>;
  if (typeof body === 'string') {
    try {
      const v: unknown = JSON.parse(body);
      return v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  }
  return {};
}

/** A stand-in for the customer's site behind the preview: quiet grey blocks, so the widget stands out. */
const PREVIEW_SITE =
  '<div aria-hidden="true" style="padding:20px;display:grid;gap:14px">' +
  '<div style="height:28px;width:40%;border-radius:6px;background:#e2e5ea"></div>' +
  '<div style="height:120px;border-radius:10px;background:#fff;box-shadow:0 1px 2px rgba(0,0,0,.06)"></div>' +
  '<div style="display:grid;grid-template-columns:1fr 1fr;gap:14px">' +
  '<div style="height:72px;border-radius:10px;background:#e9ecf0"></div><div style="height:72px;border-radius:10px;background:#e9ecf0"></div></div>' +
  '<div style="height:12px;width:85%;border-radius:4px;background:#e2e5ea"></div>' +
  '<div style="height:12px;width:70%;border-radius:4px;background:#e2e5ea"></div></div>';

/** The appearance settings a preview may override; anything malformed is left as saved. */
function previewLook(q: Record<string, unknown>): Record<string, string | null> {
  const look: Record<string, string | null> = {};
  const text = (v: unknown, max: number) => (typeof v === 'string' ? v.slice(0, max) : undefined);
  const color = text(q.color, 7);
  if (color && /^#[0-9a-fA-F]{6}$/.test(color)) Object.assign(look, { color, onColor: onColorFor(color).color });
  if (q.position === 'left' || q.position === 'right') look.position = q.position;
  if (q.locale === 'auto' || q.locale === 'en' || q.locale === 'ko') look.locale = q.locale;
  const launcherText = text(q.launcherText, 40);
  if (launcherText !== undefined) look.launcherText = launcherText;
  for (const key of ['greeting', 'greetingKo']) {
    const greeting = text(q[key], 500);
    if (greeting !== undefined) look[key] = greeting;
  }
  const logoUrl = text(q.logoUrl, 2000);
  if (logoUrl !== undefined) look.logoUrl = /^https?:\/\/\S+$/.test(logoUrl) ? logoUrl : null;
  return look;
}

function escape(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
