import { Controller, Get, Param, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import multer, { MulterError } from 'multer';
import type { Actor } from '../../common/auth/actor';
import { DomainError, UnauthenticatedError, ValidationError } from '../../common/errors/domain-error';
import { ErrorCode } from '../../common/errors/error-codes';
import { resolveActor } from '../../common/graphql/graphql-options';
import { AuthService, SESSION_COOKIE } from '../../identity/auth.service';
import { toAttachmentDto } from '../dto/mappers';
import { AttachmentsService, type UploadedFile } from './attachments.service';
import { contentDisposition } from './filenames';
import { hashingStorage } from './hashing-storage';

/**
 * `POST /files` (multipart/form-data, one file in field `file`) stores an upload and answers
 * `{ id, filename, size, contentType, sha256, url }`; pass the id in `attachmentIds` of a reply
 * or note. `GET /files/:id` downloads it. Both take a bearer API token or the session cookie;
 * with the cookie, an upload must carry the session's CSRF token in `X-CSRF-Token`.
 */
@Controller('files')
export class FilesController {
  constructor(
    private readonly attachments: AttachmentsService,
    private readonly auth: AuthService,
  ) {}

  @Post()
  async upload(@Req() req: Request, @Res() res: Response): Promise<void> {
    const actor = await this.actor(req, true);
    this.attachments.assertMayUpload(actor);
    await this.receive(req, res);
    const file = req.file as UploadedFile | undefined;
    if (!file) throw new ValidationError('Send the file as multipart/form-data in a field named "file".');
    const attachment = await this.attachments.registerUpload(actor, file);
    const dto = toAttachmentDto(attachment);
    res.status(201).json({
      id: dto.id,
      filename: dto.filename,
      size: dto.size,
      contentType: dto.contentType,
      sha256: dto.sha256,
      url: dto.url,
    });
  }

  @Get(':id')
  async download(@Param('id', ParseUUIDPipe) id: string, @Req() req: Request, @Res() res: Response): Promise<void> {
    const actor = await this.actor(req, false);
    const { attachment, stream } = await this.attachments.open(actor, id);
    res.status(200);
    res.setHeader('Content-Type', attachment.contentType);
    res.setHeader('Content-Length', String(attachment.sizeBytes));
    res.setHeader('Content-Disposition', contentDisposition(attachment.filename));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
    res.setHeader('Cache-Control', 'private, no-cache');
    res.setHeader('ETag', `"${attachment.sha256}"`);
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  }

  private async actor(req: Request, mutating: boolean): Promise<Actor> {
    const authorization = req.headers.authorization;
    if (!authorization && mutating) return this.sessionActorWithCsrf(req);
    const actor = await resolveActor(this.auth, authorization, req.headers.cookie).catch(() => null);
    if (!actor) throw new UnauthenticatedError();
    return actor;
  }

  /** A cookie alone can be sent by any site's form: uploads with the session also need its CSRF token. */
  private async sessionActorWithCsrf(req: Request): Promise<Actor> {
    const cookie = (req.headers.cookie ?? '')
      .split(';')
      .map((p) => p.trim())
      .find((p) => p.startsWith(`${SESSION_COOKIE}=`));
    const current = cookie
      ? await this.auth.actorFromSession(decodeURIComponent(cookie.slice(SESSION_COOKIE.length + 1)))
      : null;
    if (!current) throw new UnauthenticatedError();
    if (req.headers['x-csrf-token'] !== current.session.csrfToken) {
      throw new DomainError(ErrorCode.CSRF_FAILED, 'Send the CSRF token of your session in the X-CSRF-Token header.');
    }
    return current.actor;
  }

  private receive(req: Request, res: Response): Promise<void> {
    const middleware = multer({
      storage: hashingStorage(this.attachments.storageDir),
      limits: { fileSize: this.attachments.maxUploadBytes, files: 1, fields: 5, parts: 6, fieldSize: 1024 },
      defParamCharset: 'utf8',
    }).single('file');
    return new Promise((resolve, reject) => {
      middleware(req, res, (err: unknown) => {
        if (!err) return resolve();
        if (err instanceof MulterError) {
          if (err.code === 'LIMIT_FILE_SIZE') return reject(this.attachments.tooLarge());
          return reject(new ValidationError(`Upload refused: ${err.message}.`, { reason: err.code }));
        }
        // busboy reports malformed bodies as plain errors; disk problems carry an errno code
        if (err instanceof Error && (err as NodeJS.ErrnoException).code) return reject(err);
        reject(new ValidationError('The multipart/form-data body is malformed.'));
      });
    });
  }
}
