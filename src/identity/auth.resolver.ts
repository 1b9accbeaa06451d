import { ParseUUIDPipe } from '@nestjs/common';
import { Args, ArgsType, Field, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { IsEmail, MaxLength } from 'class-validator';
import { CurrentActor, GqlContext, type GraphQLContext } from '../common/auth/current-actor.decorator';
import type { Actor } from '../common/auth/actor';
import { AgentsService } from './agents.service';
import { AuthService, SESSION_COOKIE, type NewSession } from './auth.service';
import {
  AcceptInvitationInput,
  AgentDto,
  AgentStatusEnum,
  ApiTokenDto,
  ChangePasswordInput,
  CreateApiTokenInput,
  CreatedApiTokenDto,
  LoginInput,
  LoginResultDto,
  ResetPasswordInput,
  UpdateProfileInput,
} from './dto/agent.dto';
import { toAgentDto, toApiTokenDto } from './dto/mappers';

@ArgsType()
class EmailArgs {
  @Field() @IsEmail() @MaxLength(320) email: string;
}

@Resolver()
export class AuthResolver {
  constructor(
    private readonly auth: AuthService,
    private readonly agents: AgentsService,
  ) {}

  private startSession(ctx: GraphQLContext, s: NewSession): LoginResultDto {
    ctx.setCookie?.(SESSION_COOKIE, s.token, s.maxAgeMs);
    return Object.assign(new LoginResultDto(), { agent: toAgentDto(s.agent), csrfToken: s.session.csrfToken });
  }

  @Mutation(() => LoginResultDto, { description: 'Sign in; sets the HTTP-only session cookie.' })
  async login(@Args('input') input: LoginInput, @GqlContext() ctx: GraphQLContext): Promise<LoginResultDto> {
    const session = await this.auth.login(input.email, input.password, { ip: ctx.ip, userAgent: ctx.userAgent });
    return this.startSession(ctx, session);
  }

  @Mutation(() => Boolean)
  async logout(@GqlContext() ctx: GraphQLContext): Promise<boolean> {
    if (ctx.actor?.sessionId) await this.auth.logout(ctx.actor.sessionId);
    ctx.clearCookie?.(SESSION_COOKIE);
    return true;
  }

  @Mutation(() => Boolean, { description: 'Mails a reset link if the address belongs to an agent. Always true.' })
  async requestPasswordReset(@Args() { email }: EmailArgs, @GqlContext() ctx: GraphQLContext): Promise<boolean> {
    await this.auth.requestPasswordReset(email, { ip: ctx.ip });
    return true;
  }

  @Mutation(() => Boolean, { description: 'Sets a new password from a reset link; signs out every session.' })
  async resetPassword(@Args('input') input: ResetPasswordInput): Promise<boolean> {
    await this.auth.resetPassword(input.token, input.password);
    return true;
  }

  @Mutation(() => LoginResultDto, { description: 'Creates the invited agent and signs them in.' })
  async acceptInvitation(
    @Args('input') input: AcceptInvitationInput,
    @GqlContext() ctx: GraphQLContext,
  ): Promise<LoginResultDto> {
    const session = await this.agents.acceptInvitation(input, { ip: ctx.ip, userAgent: ctx.userAgent });
    return this.startSession(ctx, session);
  }

  @Mutation(() => Boolean)
  async changePassword(@CurrentActor() actor: Actor, @Args('input') input: ChangePasswordInput): Promise<boolean> {
    await this.auth.changePassword(actor, input.currentPassword, input.newPassword);
    return true;
  }

  @Query(() => AgentDto, { description: 'The signed-in agent.' })
  async me(@CurrentActor() actor: Actor): Promise<AgentDto> {
    return toAgentDto(await this.agents.me(actor));
  }

  @Mutation(() => AgentDto)
  async updateProfile(@CurrentActor() actor: Actor, @Args('input') input: UpdateProfileInput): Promise<AgentDto> {
    return toAgentDto(await this.agents.updateProfile(actor, input));
  }

  @Mutation(() => AgentDto)
  async setMyStatus(
    @CurrentActor() actor: Actor,
    @Args('status', { type: () => AgentStatusEnum }) status: AgentStatusEnum,
  ): Promise<AgentDto> {
    return toAgentDto(await this.agents.setStatus(actor, status));
  }

  @Query(() => [ApiTokenDto], { description: 'Your personal API tokens (never the secrets).' })
  async apiTokens(@CurrentActor() actor: Actor): Promise<ApiTokenDto[]> {
    return (await this.auth.listApiTokens(actor)).map(toApiTokenDto);
  }

  @Mutation(() => CreatedApiTokenDto)
  async createApiToken(
    @CurrentActor() actor: Actor,
    @Args('input') input: CreateApiTokenInput,
  ): Promise<CreatedApiTokenDto> {
    const { token, apiToken } = await this.auth.createApiToken(actor, input);
    return { token, apiToken: toApiTokenDto(apiToken) };
  }

  @Mutation(() => ApiTokenDto)
  async revokeApiToken(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }, ParseUUIDPipe) id: string,
  ): Promise<ApiTokenDto> {
    return toApiTokenDto(await this.auth.revokeApiToken(actor, id));
  }
}
