import { Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import {
  ArrayMaxSize,
  IsEmail,
  IsEnum,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { Type } from 'class-transformer';
import { JSONObjectScalar } from '../../common/graphql/json.scalar';

export enum TicketStatusEnum {
  new = 'new',
  open = 'open',
  pending = 'pending',
  on_hold = 'on_hold',
  solved = 'solved',
  closed = 'closed',
  merged = 'merged',
}
export enum TicketPriorityEnum {
  low = 'low',
  normal = 'normal',
  high = 'high',
  urgent = 'urgent',
}
export enum TicketTypeEnum {
  question = 'question',
  incident = 'incident',
  problem = 'problem',
  task = 'task',
}
registerEnumType(TicketStatusEnum, { name: 'TicketStatus' });
registerEnumType(TicketPriorityEnum, { name: 'TicketPriority' });
registerEnumType(TicketTypeEnum, { name: 'TicketType' });

@ObjectType('Ticket')
export class TicketDto {
  @Field(() => ID) id: string;
  @Field(() => Int) number: number;
  @Field() subject: string;
  @Field(() => TicketStatusEnum) status: TicketStatusEnum;
  @Field(() => TicketPriorityEnum) priority: TicketPriorityEnum;
  @Field(() => TicketTypeEnum, { nullable: true }) type: TicketTypeEnum | null;
  @Field({ description: 'Channel the ticket came in through (email, widget, api, …).' }) channel: string;
  @Field(() => [String]) tags: string[];
  @Field(() => JSONObjectScalar, { description: 'Custom field values keyed by field key.' })
  customFields: Record<string, unknown>;
  @Field(() => Int, { description: 'Increases with every change; pass it back as expectedVersion.' }) version: number;
  @Field(() => ID) requesterId: string;
  @Field(() => ID, { nullable: true }) assigneeId: string | null;
  @Field(() => ID, { nullable: true }) groupId: string | null;
  @Field(() => ID, { nullable: true }) formId: string | null;
  @Field(() => ID, { nullable: true }) mergedIntoId: string | null;
  @Field() createdAt: Date;
  @Field() updatedAt: Date;
  @Field(() => Date, { nullable: true }) solvedAt: Date | null;
  @Field(() => Date, { nullable: true }) closedAt: Date | null;
}

@InputType({ description: 'Who the ticket is for: an existing contact, or identities to find or create one.' })
export class ContactReferenceInput {
  @Field(() => ID, { nullable: true }) @IsOptional() @IsUUID() contactId?: string;
  @Field({ nullable: true }) @IsOptional() @IsEmail() @MaxLength(320) email?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(32) phone?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(255) externalId?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(200) name?: string;
}

@InputType()
export class CreateTicketInput {
  @Field() @IsString() @MinLength(1) @MaxLength(250) subject: string;
  @Field(() => ContactReferenceInput)
  @ValidateNested()
  @Type(() => ContactReferenceInput)
  requester: ContactReferenceInput;
  @Field(() => TicketPriorityEnum, { nullable: true })
  @IsOptional()
  @IsEnum(TicketPriorityEnum)
  priority?: TicketPriorityEnum;
  @Field(() => TicketTypeEnum, { nullable: true }) @IsOptional() @IsEnum(TicketTypeEnum) type?: TicketTypeEnum;
  @Field(() => ID, { nullable: true }) @IsOptional() @IsUUID() assigneeId?: string;
  @Field(() => ID, { nullable: true }) @IsOptional() @IsUUID() groupId?: string;
  @Field(() => [String], { nullable: true }) @IsOptional() @ArrayMaxSize(50) @IsString({ each: true }) tags?: string[];
  @Field(() => ID, { nullable: true, description: 'Defaults to the default ticket form.' })
  @IsOptional()
  @IsUUID()
  formId?: string;
  @Field(() => JSONObjectScalar, { nullable: true, description: 'Custom field values keyed by field key.' })
  @IsOptional()
  @IsObject()
  customFields?: Record<string, unknown>;
}

@InputType()
export class UpdateTicketInput {
  @Field(() => ID) @IsUUID() id: string;
  @Field(() => Int, {
    nullable: true,
    description: 'The version you saw; a newer one makes the update fail with CONFLICT.',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  expectedVersion?: number;
  @Field({ nullable: true }) @IsOptional() @IsString() @MinLength(1) @MaxLength(250) subject?: string;
  @Field(() => TicketStatusEnum, { nullable: true }) @IsOptional() @IsEnum(TicketStatusEnum) status?: TicketStatusEnum;
  @Field(() => TicketPriorityEnum, { nullable: true })
  @IsOptional()
  @IsEnum(TicketPriorityEnum)
  priority?: TicketPriorityEnum;
  @Field(() => TicketTypeEnum, { nullable: true }) @IsOptional() @IsEnum(TicketTypeEnum) type?: TicketTypeEnum | null;
  @Field(() => ID, { nullable: true, description: 'null unassigns.' }) @IsOptional() @IsUUID() assigneeId?:
    string | null;
  @Field(() => ID, { nullable: true, description: 'null removes the group.' }) @IsOptional() @IsUUID() groupId?:
    string | null;
  @Field(() => [String], { nullable: true, description: 'Replaces all tags.' })
  @IsOptional()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  tags?: string[];
  @Field(() => ID, { nullable: true, description: 'null removes the form.' }) @IsOptional() @IsUUID() formId?:
    string | null;
  @Field(() => JSONObjectScalar, {
    nullable: true,
    description: 'Merged into the current values: given keys change, null clears a key, other keys stay.',
  })
  @IsOptional()
  @IsObject()
  customFields?: Record<string, unknown>;
}

@ObjectType('AuditEvent')
export class AuditEventDto {
  @Field(() => ID) id: string;
  @Field() action: string;
  @Field() actorKind: string;
  @Field(() => ID, { nullable: true }) actorAgentId: string | null;
  @Field(() => JSONObjectScalar, { description: '{ field: { from, to } } for every changed field.' })
  changes: Record<string, unknown>;
  @Field() createdAt: Date;
}
