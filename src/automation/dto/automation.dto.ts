import { Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import {
  ArrayMaxSize,
  IsBoolean,
  IsEnum,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { Type } from 'class-transformer';
import { JSONObjectScalar } from '../../common/graphql/json.scalar';
import { TicketDto, TicketPriorityEnum, TicketStatusEnum } from '../../tickets/dto/ticket.dto';

export enum ComposerModeEnum {
  reply = 'reply',
  note = 'note',
}
export enum SavedViewSortEnum {
  updated = 'updated',
  priority = 'priority',
  created = 'created',
  number = 'number',
}
registerEnumType(ComposerModeEnum, { name: 'ComposerMode' });
registerEnumType(SavedViewSortEnum, { name: 'SavedViewSort' });

@ObjectType('Macro', { description: 'A named list of ticket actions, optionally with text for the composer.' })
export class MacroDto {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field() description: string;
  @Field({ description: 'Owned by the agent asking; false for shared macros.' }) personal: boolean;
  @Field(() => [JSONObjectScalar], {
    description:
      'Actions in order: { type: status|priority|type|assignee|group|add_tags|remove_tags|custom_field|add_follower|insert_text, value, key?, mode? }.',
  })
  actions: Array<Record<string, unknown>>;
  @Field(() => Int) position: number;
  @Field() isActive: boolean;
  @Field() createdAt: Date;
  @Field() updatedAt: Date;
}

@InputType()
export class CreateMacroInput {
  @Field() @IsString() @MinLength(1) @MaxLength(120) name: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(500) description?: string;
  @Field(() => [JSONObjectScalar]) @ArrayMaxSize(30) @IsObject({ each: true }) actions: Array<Record<string, unknown>>;
  @Field({ nullable: true, description: 'true: only you see and apply it. Shared macros need an administrator.' })
  @IsOptional()
  @IsBoolean()
  personal?: boolean;
  @Field({ nullable: true }) @IsOptional() @IsBoolean() isActive?: boolean;
}

@InputType()
export class UpdateMacroInput {
  @Field(() => ID) @IsUUID() id: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MinLength(1) @MaxLength(120) name?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(500) description?: string;
  @Field(() => [JSONObjectScalar], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(30)
  @IsObject({ each: true })
  actions?: Array<Record<string, unknown>>;
  @Field({ nullable: true }) @IsOptional() @IsBoolean() isActive?: boolean;
}

@ObjectType('MacroApplication')
export class MacroApplicationDto {
  @Field(() => TicketDto) ticket: TicketDto;
  @Field(() => String, { nullable: true, description: 'Text to insert into the composer, variables filled.' })
  text: string | null;
  @Field(() => ComposerModeEnum, { nullable: true }) mode: ComposerModeEnum | null;
  @Field(() => [String], { description: 'Variables in the text that are unknown (left as written).' })
  unknownVariables: string[];
}

@ObjectType('CannedResponse')
export class CannedResponseDto {
  @Field(() => ID) id: string;
  @Field({ description: 'Typed after / or # in the composer.' }) shortcut: string;
  @Field() title: string;
  @Field({ description: 'Text with variables such as {{contact.first_name}} or {{ticket.number}}.' }) body: string;
  @Field() personal: boolean;
  @Field(() => ID, { nullable: true, description: 'Shared with this group only.' }) groupId: string | null;
  @Field() createdAt: Date;
  @Field() updatedAt: Date;
}

@InputType()
export class CreateCannedResponseInput {
  @Field() @IsString() @MinLength(1) @MaxLength(41) shortcut: string;
  @Field() @IsString() @MinLength(1) @MaxLength(120) title: string;
  @Field() @IsString() @MinLength(1) @MaxLength(20_000) body: string;
  @Field({ nullable: true, description: 'Shared with the team (administrators only); otherwise yours.' })
  @IsOptional()
  @IsBoolean()
  shared?: boolean;
  @Field(() => ID, { nullable: true, description: 'Shared responses: only this group sees it.' })
  @IsOptional()
  @IsUUID()
  groupId?: string;
}

@InputType()
export class UpdateCannedResponseInput {
  @Field(() => ID) @IsUUID() id: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MinLength(1) @MaxLength(41) shortcut?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MinLength(1) @MaxLength(120) title?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MinLength(1) @MaxLength(20_000) body?: string;
  @Field(() => ID, { nullable: true }) @IsOptional() @IsUUID() groupId?: string | null;
}

@ObjectType('RenderedText')
export class RenderedTextDto {
  @Field() text: string;
  @Field(() => [String]) unknownVariables: string[];
}

@ObjectType('SavedViewFilters')
@InputType('SavedViewFiltersInput')
export class SavedViewFiltersDto {
  @Field(() => [TicketStatusEnum], { nullable: true })
  @IsOptional()
  @IsEnum(TicketStatusEnum, { each: true })
  status?: TicketStatusEnum[];
  @Field(() => [TicketPriorityEnum], { nullable: true })
  @IsOptional()
  @IsEnum(TicketPriorityEnum, { each: true })
  priority?: TicketPriorityEnum[];
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(40) channel?: string;
  @Field(() => ID, { nullable: true }) @IsOptional() @IsUUID() groupId?: string;
  @Field({ nullable: true, description: '"me" (whoever looks), "none" or an agent id.' })
  @IsOptional()
  @IsString()
  @MaxLength(36)
  assignee?: string;
  @Field(() => [String], { nullable: true }) @IsOptional() @ArrayMaxSize(10) @IsString({ each: true }) tags?: string[];
  @Field(() => JSONObjectScalar, { nullable: true, description: 'Custom field key → value; all must match.' })
  @IsOptional()
  @IsObject()
  customFields?: Record<string, unknown>;
}

@ObjectType('SavedView')
export class SavedViewDto {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field() personal: boolean;
  @Field(() => SavedViewFiltersDto) filters: SavedViewFiltersDto;
  @Field(() => SavedViewSortEnum) sort: SavedViewSortEnum;
  @Field(() => Int) position: number;
  @Field() createdAt: Date;
  @Field() updatedAt: Date;
}

@InputType()
export class CreateSavedViewInput {
  @Field() @IsString() @MinLength(1) @MaxLength(80) name: string;
  @Field(() => SavedViewFiltersDto) @ValidateNested() @Type(() => SavedViewFiltersDto) filters: SavedViewFiltersDto;
  @Field(() => SavedViewSortEnum, { nullable: true }) @IsOptional() @IsEnum(SavedViewSortEnum) sort?: SavedViewSortEnum;
  @Field({ nullable: true, description: 'Shared with everyone (administrators only).' })
  @IsOptional()
  @IsBoolean()
  shared?: boolean;
}

@InputType()
export class UpdateSavedViewInput {
  @Field(() => ID) @IsUUID() id: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MinLength(1) @MaxLength(80) name?: string;
  @Field(() => SavedViewFiltersDto, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => SavedViewFiltersDto)
  filters?: SavedViewFiltersDto;
  @Field(() => SavedViewSortEnum, { nullable: true }) @IsOptional() @IsEnum(SavedViewSortEnum) sort?: SavedViewSortEnum;
}
