import { Inject, ParseUUIDPipe } from '@nestjs/common';
import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { Actor } from '../../../common/auth/actor';
import { CurrentActor } from '../../../common/auth/current-actor.decorator';
import type { AppConfig } from '../../../config/config';
import { APP_CONFIG } from '../../../config/config.module';
import { MailboxDto, MailboxPayload } from '../dto/mailbox.dto';
import { CreateMailboxInput, UpdateMailboxInput } from '../dto/mailbox.input';
import { toMailboxDto } from '../dto/mappers';
import { MailboxesService, type MailboxWithSecret } from './mailboxes.service';

const uuid = new ParseUUIDPipe();

/** Mailboxes of the email channel. Reading for every agent; changes for admins. */
@Resolver(() => MailboxDto)
export class MailboxesResolver {
  constructor(
    private readonly service: MailboxesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Query(() => [MailboxDto], { description: 'Every mailbox, the default first.' })
  async mailboxes(@CurrentActor() actor: Actor): Promise<MailboxDto[]> {
    return (await this.service.list(actor)).map((mb) => toMailboxDto(mb, this.config.baseUrl));
  }

  @Query(() => MailboxDto)
  async mailbox(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }, uuid) id: string): Promise<MailboxDto> {
    return toMailboxDto(await this.service.get(actor, id), this.config.baseUrl);
  }

  @Mutation(() => MailboxPayload, { description: 'Admins only. Returns the inbound webhook secret once.' })
  async createMailbox(@CurrentActor() actor: Actor, @Args('input') input: CreateMailboxInput): Promise<MailboxPayload> {
    return this.payload(await this.service.create(actor, input));
  }

  @Mutation(() => MailboxDto, { description: 'Admins only.' })
  async updateMailbox(@CurrentActor() actor: Actor, @Args('input') input: UpdateMailboxInput): Promise<MailboxDto> {
    const { id, ...data } = input;
    return toMailboxDto(await this.service.update(actor, id, data), this.config.baseUrl);
  }

  @Mutation(() => ID, { description: 'Admins only. Conversations of the mailbox then reply from the default one.' })
  deleteMailbox(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }, uuid) id: string): Promise<string> {
    return this.service.remove(actor, id);
  }

  @Mutation(() => MailboxPayload, { description: 'Admins only. A new inbound webhook secret; the old one stops.' })
  async rotateMailboxWebhookSecret(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }, uuid) id: string,
  ): Promise<MailboxPayload> {
    return this.payload(await this.service.rotateWebhookSecret(actor, id));
  }

  private payload(r: MailboxWithSecret): MailboxPayload {
    return Object.assign(new MailboxPayload(), {
      mailbox: toMailboxDto(r.mailbox, this.config.baseUrl),
      webhookSecret: r.webhookSecret,
    });
  }
}
