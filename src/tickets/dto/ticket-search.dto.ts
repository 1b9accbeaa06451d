import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsBoolean,
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { ConnectionType, PageArgs } from '../../common/graphql/pagination';
import { TicketDto, TicketPriorityEnum, TicketStatusEnum } from './ticket.dto';

export enum TicketSortFieldEnum {
  PRIORITY = 'PRIORITY',
  UPDATED_AT = 'UPDATED_AT',
  CREATED_AT = 'CREATED_AT',
  NUMBER = 'NUMBER',
}
export enum SortDirectionEnum {
  ASC = 'ASC',
  DESC = 'DESC',
}
registerEnumType(TicketSortFieldEnum, {
  name: 'TicketSortField',
  description: 'PRIORITY sorts by priority, then last update (the inbox order); ties end with the id.',
});
registerEnumType(SortDirectionEnum, { name: 'SortDirection' });

@InputType({ description: 'All given conditions must hold.' })
export class TicketFilterInput {
  @Field(() => [TicketStatusEnum], {
    nullable: true,
    description: 'Any of these statuses. Without it, every status except merged.',
  })
  @IsOptional()
  @ArrayMaxSize(7)
  @IsEnum(TicketStatusEnum, { each: true })
  status?: TicketStatusEnum[];
  @Field(() => ID, { nullable: true }) @IsOptional() @IsUUID() assigneeId?: string;
  @Field({ nullable: true, description: 'Only tickets without an assignee.' })
  @IsOptional()
  @IsBoolean()
  unassigned?: boolean;
  @Field(() => ID, { nullable: true }) @IsOptional() @IsUUID() groupId?: string;
  @Field(() => [String], { nullable: true, description: 'Tickets having all of these tags.' })
  @IsOptional()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  tags?: string[];
  @Field(() => ID, { nullable: true }) @IsOptional() @IsUUID() requesterId?: string;
  @Field({
    nullable: true,
    description:
      'Words in the subject or messages (prefix matches; Korean words inside longer words), or any 3+ character part of them.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  text?: string;
  @Field(() => [TicketPriorityEnum], { nullable: true, description: 'Any of these priorities.' })
  @IsOptional()
  @ArrayMaxSize(4)
  @IsEnum(TicketPriorityEnum, { each: true })
  priority?: TicketPriorityEnum[];
  @Field({ nullable: true, description: 'email, widget, api, …' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  channel?: string;
}

@InputType()
export class TicketSortInput {
  @Field(() => TicketSortFieldEnum) @IsEnum(TicketSortFieldEnum) field: TicketSortFieldEnum;
  @Field(() => SortDirectionEnum, { defaultValue: SortDirectionEnum.DESC })
  @IsOptional()
  @IsEnum(SortDirectionEnum)
  direction: SortDirectionEnum = SortDirectionEnum.DESC;
}

@ArgsType()
export class TicketsArgs extends PageArgs {
  @Field(() => TicketFilterInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => TicketFilterInput)
  filter?: TicketFilterInput;

  @Field(() => TicketSortInput, { nullable: true, description: 'Default: UPDATED_AT, newest first.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => TicketSortInput)
  sort?: TicketSortInput;
}

@ObjectType()
export class TicketConnection extends ConnectionType(TicketDto, 'Ticket') {}

@ObjectType('TagCount')
export class TagCountDto {
  @Field() tag: string;
  @Field(() => Int, { description: 'Tickets (not merged) carrying the tag that you can see.' }) count: number;
}

@ArgsType()
export class TagsArgs {
  @Field({ nullable: true, description: 'Start of the tag.' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  search?: string;

  @Field(() => Int, { nullable: true, defaultValue: 50 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(500)
  first?: number;
}
