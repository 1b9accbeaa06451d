import { Field, ID, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import {
  ArrayMaxSize,
  IsEmail,
  IsEnum,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';

export enum AgentRoleEnum {
  admin = 'admin',
  agent = 'agent',
  viewer = 'viewer',
}
export enum TicketAccessEnum {
  all = 'all',
  groups = 'groups',
  assigned = 'assigned',
}
export enum AgentStatusEnum {
  online = 'online',
  away = 'away',
  transfer_only = 'transfer_only',
  offline = 'offline',
}
export enum LocaleEnum {
  en = 'en',
  ko = 'ko',
}
export enum TokenScopeEnum {
  read = 'read',
  write = 'write',
}
registerEnumType(AgentRoleEnum, {
  name: 'AgentRole',
  description: 'admin: everything; agent: work tickets; viewer: read only',
});
registerEnumType(TicketAccessEnum, { name: 'TicketAccess', description: 'Which tickets a non-admin agent may see' });
registerEnumType(AgentStatusEnum, { name: 'AgentStatus' });
registerEnumType(LocaleEnum, { name: 'Locale' });
registerEnumType(TokenScopeEnum, { name: 'TokenScope' });

export const PASSWORD_RULE = { min: 10, max: 200 };

@ObjectType('Group')
export class GroupDto {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field() description: string;
  @Field() createdAt: Date;
}

@ObjectType('Agent')
export class AgentDto {
  @Field(() => ID) id: string;
  @Field() email: string;
  @Field() name: string;
  @Field(() => AgentRoleEnum) role: AgentRoleEnum;
  @Field(() => TicketAccessEnum) ticketAccess: TicketAccessEnum;
  @Field(() => LocaleEnum) locale: LocaleEnum;
  @Field() timezone: string;
  @Field() signature: string;
  @Field(() => AgentStatusEnum) status: AgentStatusEnum;
  @Field() isActive: boolean;
  @Field(() => Date, { nullable: true }) lastLoginAt: Date | null;
  @Field() createdAt: Date;
}

@ObjectType('LoginResult')
export class LoginResultDto {
  @Field(() => AgentDto) agent: AgentDto;
  @Field({ description: 'Send as X-CSRF-Token with form posts of the workspace.' }) csrfToken: string;
}

@InputType()
export class LoginInput {
  @Field() @IsEmail() @MaxLength(320) email: string;
  @Field() @IsString() @MinLength(1) @MaxLength(PASSWORD_RULE.max) password: string;
}

@InputType()
export class UpdateProfileInput {
  @Field({ nullable: true }) @IsOptional() @IsString() @MinLength(1) @MaxLength(120) name?: string;
  @Field(() => LocaleEnum, { nullable: true }) @IsOptional() @IsEnum(LocaleEnum) locale?: LocaleEnum;
  @Field({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  @Matches(/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$|^UTC$/, { message: 'timezone must be an IANA zone like Asia/Seoul' })
  timezone?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(5000) signature?: string;
}

@InputType()
export class UpdateAgentInput {
  @Field(() => ID) @IsUUID() id: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MinLength(1) @MaxLength(120) name?: string;
  @Field(() => AgentRoleEnum, { nullable: true }) @IsOptional() @IsEnum(AgentRoleEnum) role?: AgentRoleEnum;
  @Field(() => TicketAccessEnum, { nullable: true })
  @IsOptional()
  @IsEnum(TicketAccessEnum)
  ticketAccess?: TicketAccessEnum;
}

@InputType()
export class InviteAgentInput {
  @Field() @IsEmail() @MaxLength(320) email: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(120) name?: string;
  @Field(() => AgentRoleEnum) @IsEnum(AgentRoleEnum) role: AgentRoleEnum;
  @Field(() => [ID], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  groupIds?: string[];
}

@ObjectType('Invitation')
export class InvitationDto {
  @Field(() => ID) id: string;
  @Field() email: string;
  @Field(() => AgentRoleEnum) role: AgentRoleEnum;
  @Field() expiresAt: Date;
  @Field(() => Date, { nullable: true }) acceptedAt: Date | null;
}

@InputType()
export class AcceptInvitationInput {
  @Field() @IsString() @MinLength(10) @MaxLength(200) token: string;
  @Field() @IsString() @MinLength(1) @MaxLength(120) name: string;
  @Field() @IsString() @MinLength(PASSWORD_RULE.min) @MaxLength(PASSWORD_RULE.max) password: string;
}

@InputType()
export class ResetPasswordInput {
  @Field() @IsString() @MinLength(10) @MaxLength(200) token: string;
  @Field() @IsString() @MinLength(PASSWORD_RULE.min) @MaxLength(PASSWORD_RULE.max) password: string;
}

@InputType()
export class ChangePasswordInput {
  @Field() @IsString() @MaxLength(PASSWORD_RULE.max) currentPassword: string;
  @Field() @IsString() @MinLength(PASSWORD_RULE.min) @MaxLength(PASSWORD_RULE.max) newPassword: string;
}

@ObjectType('ApiToken')
export class ApiTokenDto {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field({ description: 'First characters of the token, to recognise it.' }) prefix: string;
  @Field(() => [TokenScopeEnum]) scopes: TokenScopeEnum[];
  @Field() createdAt: Date;
  @Field(() => Date, { nullable: true }) lastUsedAt: Date | null;
  @Field(() => Date, { nullable: true }) expiresAt: Date | null;
  @Field(() => Date, { nullable: true }) revokedAt: Date | null;
}

@ObjectType('CreatedApiToken')
export class CreatedApiTokenDto {
  @Field({ description: 'The secret token. Shown this once; store it now.' }) token: string;
  @Field(() => ApiTokenDto) apiToken: ApiTokenDto;
}

@InputType()
export class CreateApiTokenInput {
  @Field() @IsString() @MinLength(1) @MaxLength(100) name: string;
  @Field(() => [TokenScopeEnum]) @IsIn(['read', 'write'], { each: true }) scopes: TokenScopeEnum[];
  @Field(() => Date, { nullable: true }) @IsOptional() expiresAt?: Date;
}

@InputType()
export class CreateGroupInput {
  @Field() @IsString() @MinLength(1) @MaxLength(100) name: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(1000) description?: string;
}

@InputType()
export class UpdateGroupInput {
  @Field(() => ID) @IsUUID() id: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MinLength(1) @MaxLength(100) name?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(1000) description?: string;
}
