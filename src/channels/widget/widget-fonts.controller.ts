import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NotFoundError } from '../../common/errors/domain-error';
import { nodeModulesDir } from '../../common/paths';

const FONT_DIR = join(nodeModulesDir, 'pretendard', 'dist', 'web', 'variable');
const FAMILY = 'Sori Pretendard';
let css: string | null = null;

/**
 * Pretendard for the widget, served by Sori (no other host), split by Unicode range so a page
 * downloads only the Korean or Latin pieces it shows. Fonts are fetched cross-origin from the
 * customer's page, so they carry CORS headers; the family has its own name so the host page's
 * fonts are left alone.
 */
@Controller('widget/fonts')
export class WidgetFontsController {
  @Get('pretendard.css')
  stylesheet(@Req() req: Request, @Res() res: Response): void {
    css ??= readFileSync(join(FONT_DIR, 'pretendardvariable-dynamic-subset.css'), 'utf8')
      .replace(/font-family: 'Pretendard Variable'/g, `font-family: '${FAMILY}'`)
      .replace(/url\(\.\/woff2-dynamic-subset\//g, 'url(./');
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Content-Type', 'text/css; charset=utf-8');
    res.setHeader('Cache-Control', 'public, max-age=86400');
    res.send(css);
    void req;
  }

  @Get(':file')
  font(@Param('file') file: string, @Res() res: Response): void {
    const path = join(FONT_DIR, 'woff2-dynamic-subset', file);
    if (!/^PretendardVariable\.subset\.\d+\.woff2$/.test(file) || !existsSync(path))
      throw new NotFoundError('Font', file);
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    res.sendFile(path);
  }
}
