import { ParseIntPipe } from '@nestjs/common';
import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { Actor } from '../../../common/auth/actor';
import { actorFrom, CurrentActor, type GraphQLContext } from '../../../common/auth/current-actor.decorator';
import { byKeys, loader } from '../../../common/graphql/loaders';
import { MessageDto } from '../../../conversations/dto/conversation.dto';
import type { ParentOf } from '../../../tickets/dto/parent';
import { InboundMailConnection, InboundMailDto, InboundMailsArgs } from '../dto/inbound-mail.dto';
import { toInboundMailDto } from '../dto/mappers';
import { MessageEmailDto } from '../dto/message-email.dto';
import { EmailDetailsService } from './email-details.service';
import { InboundAdminService } from './inbound-admin.service';

const id = new ParseIntPipe();

/** Admins: the raw inbound store (failed and ignored mail, retry). */
@Resolver(() => InboundMailDto)
export class InboundMailsResolver {
  constructor(private readonly admin: InboundAdminService) {}

  @Query(() => InboundMailConnection, { description: 'Admins only. Received mail by status, newest first.' })
  async inboundMails(@CurrentActor() actor: Actor, @Args() args: InboundMailsArgs): Promise<InboundMailConnection> {
    const page = await this.admin.list(actor, args);
    return { ...page, edges: page.edges.map((e) => ({ cursor: e.cursor, node: toInboundMailDto(e.node) })) };
  }

  @Query(() => InboundMailDto, { description: 'Admins only.' })
  async inboundMail(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }, id) mailId: number) {
    return toInboundMailDto(await this.admin.get(actor, mailId));
  }

  @Mutation(() => InboundMailDto, { description: 'Admins only. Processes a failed or ignored mail again.' })
  async retryInboundMail(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }, id) mailId: number) {
    return toInboundMailDto(await this.admin.retry(actor, mailId));
  }
}

/** `Message.email`: how a message came or went by email. */
@Resolver(() => MessageDto)
export class MessageEmailResolver {
  constructor(private readonly details: EmailDetailsService) {}

  @ResolveField(() => MessageEmailDto, { nullable: true, description: 'Email details; null for other channels.' })
  async email(@Parent() m: ParentOf<MessageDto>, @Context() ctx: GraphQLContext): Promise<MessageEmailDto | null> {
    actorFrom(ctx);
    return loader<number, MessageEmailDto | null>(ctx, 'email.messageDetails', async (ids) => {
      const found = await this.details.ofMessages([...ids]);
      return byKeys(ids, found, (d) => d.messageId).map((d) => d?.dto ?? null);
    }).load(Number(m.id));
  }
}
