import {
  Body,
  Controller,
  Get,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
  Res,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import type { Response } from 'express';
import { t } from '../../common/i18n/i18n';
import { LiveChatService } from '../../channels/widget/live-chat.service';
import { ChatRoutingService } from '../../channels/widget/chat-routing.service';
import { ChatTransferService } from '../../channels/widget/chat-transfer.service';
import { transferTarget } from '../../channels/widget/chat-panel.service';
import { setFlash } from '../core/flash';
import type { PageContext, PageRequest } from '../core/page-context';
import { PageErrorFilter } from '../core/page-errors.filter';
import { renderPage } from '../core/render';
import { SignedInGuard } from '../core/signed-in.guard';
import { ChatsPageService } from './chats-page.service';

type Form = Record<string, unknown>;
const str = (v: unknown, max = 10_000) => (typeof v === 'string' ? v.slice(0, max) : '');
const uuid = new ParseUUIDPipe();

/** The live chat panel: offers to accept or decline, the agent's chats, replies, transfer and end. */
@Controller('app/chats')
@UseGuards(SignedInGuard)
@UseFilters(PageErrorFilter)
export class ChatsController {
  constructor(
    private readonly pages: ChatsPageService,
    private readonly chats: LiveChatService,
    private readonly routing: ChatRoutingService,
    private readonly transfers: ChatTransferService,
  ) {}

  @Get()
  async panel(@Req() req: PageRequest, @Res() res: Response, @Query('c') c?: string) {
    const page = req.page as PageContext;
    const selected = c ? await uuid.transform(c, { type: 'query' }) : null;
    const data = await this.pages.build(page, selected);
    renderPage(req, res, 'workspace/chats', { nav: 'chats', title: t(page.locale, 'chats.title'), ...data });
  }

  /** What the rail's badge and load line show, for the client script. */
  @Get('summary')
  async summary(@Req() req: PageRequest, @Res() res: Response) {
    res.setHeader('Cache-Control', 'no-store');
    res.json(await this.pages.summary(req.page as PageContext));
  }

  @Post(':id/accept')
  async accept(@Req() req: PageRequest, @Res() res: Response, @Param('id', ParseUUIDPipe) id: string) {
    await this.chats.accept((req.page as PageContext).actor, id);
    setFlash(res, { kind: 'ok', key: 'chats.accepted' });
    res.redirect(303, `/app/chats?c=${id}`);
  }

  @Post(':id/decline')
  async decline(@Req() req: PageRequest, @Res() res: Response, @Param('id', ParseUUIDPipe) id: string) {
    await this.routing.decline((req.page as PageContext).actor, id);
    setFlash(res, { kind: 'ok', key: 'chats.declinedFlash' });
    res.redirect(303, '/app/chats');
  }

  @Post(':id/reply')
  async reply(@Req() req: PageRequest, @Res() res: Response, @Param('id', ParseUUIDPipe) id: string, @Body() b: Form) {
    await this.chats.reply((req.page as PageContext).actor, { conversationId: id, body: str(b.body) });
    if (req.headers['x-sori-partial'] === '1') return res.status(204).end();
    res.redirect(303, `/app/chats?c=${id}#latest`);
  }

  @Post(':id/end')
  async end(@Req() req: PageRequest, @Res() res: Response, @Param('id', ParseUUIDPipe) id: string) {
    await this.chats.endByAgent((req.page as PageContext).actor, id);
    setFlash(res, { kind: 'ok', key: 'chats.endedFlash' });
    res.redirect(303, '/app/chats');
  }

  @Post(':id/transfer')
  async transfer(
    @Req() req: PageRequest,
    @Res() res: Response,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() b: Form,
  ) {
    const [kind, targetId] = str(b.target, 100).split(':');
    const target = transferTarget({
      toAgentId: kind === 'agent' ? await uuid.transform(targetId, { type: 'body' }) : null,
      toGroupId: kind === 'group' ? await uuid.transform(targetId, { type: 'body' }) : null,
    });
    const actor = (req.page as PageContext).actor;
    await this.transfers.transfer(actor, id, target, str(b.note, 2000));
    setFlash(res, { kind: 'ok', key: 'chats.transferredFlash' });
    res.redirect(303, '/app/chats');
  }
}
