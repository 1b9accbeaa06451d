import { Field, ID, InputType, Int } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsBoolean,
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import {
  BlockKindEnum,
  PreChatFieldTypeEnum,
  RuleAudienceEnum,
  WidgetLocaleEnum,
  WidgetModeEnum,
  WidgetPositionEnum,
} from './widget.dto';

/** Sizes are bounded loosely here; the service names the field when a rule (≤ 10 fields, ≤ 20 options…) fails. */
@InputType()
export class PreChatFieldInput {
  @Field({ description: 'name, email, phone, or custom:<slug> (slug: a–z, 0–9, _; up to 40).' })
  @IsString()
  @MaxLength(60)
  key: string;
  @Field() @IsString() @MaxLength(200) label: string;
  @Field({ nullable: true, description: 'For visitors reading Korean.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  labelKo?: string;
  @Field(() => PreChatFieldTypeEnum, { nullable: true, description: 'Required for custom fields.' })
  @IsOptional()
  @IsEnum(PreChatFieldTypeEnum)
  type?: PreChatFieldTypeEnum;
  @Field(() => [String], { nullable: true, description: 'Select fields: up to 20 choices of up to 80 characters.' })
  @IsOptional()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  options?: string[];
  @Field({ defaultValue: false }) @IsBoolean() required: boolean;
}

@InputType()
export class WidgetInput {
  @Field({ nullable: true }) @IsOptional() @IsString() @MinLength(1) @MaxLength(100) name?: string;
  @Field(() => WidgetModeEnum, { nullable: true }) @IsOptional() @IsEnum(WidgetModeEnum) mode?: WidgetModeEnum;
  @Field({ nullable: true, description: '#rrggbb' })
  @IsOptional()
  @Matches(/^#[0-9a-fA-F]{6}$/, { message: 'color must be a hex colour like #4f46e5' })
  color?: string;
  @Field(() => String, { nullable: true, description: 'https:// URL of a square logo; null removes it.' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  logoUrl?: string | null;
  @Field(() => WidgetPositionEnum, { nullable: true })
  @IsOptional()
  @IsEnum(WidgetPositionEnum)
  position?: WidgetPositionEnum;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(40) launcherText?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(500) greeting?: string;
  @Field({ nullable: true, description: 'For visitors reading Korean; empty uses greeting.' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  greetingKo?: string;
  @Field(() => [PreChatFieldInput], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => PreChatFieldInput)
  preChatFields?: PreChatFieldInput[];
  @Field(() => WidgetLocaleEnum, { nullable: true }) @IsOptional() @IsEnum(WidgetLocaleEnum) locale?: WidgetLocaleEnum;
  @Field({ nullable: true }) @IsOptional() @IsBoolean() requireIdentified?: boolean;
  @Field(() => ID, { nullable: true }) @IsOptional() @IsUUID() businessHoursId?: string | null;
  @Field(() => ID, { nullable: true }) @IsOptional() @IsUUID() groupId?: string | null;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(0) @Max(86400) unreadEmailDelaySeconds?: number;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(1) @Max(1440) inactivityMinutes?: number;
  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  allowedOrigins?: string[];
  @Field({ nullable: true }) @IsOptional() @IsBoolean() isActive?: boolean;
}

@InputType()
export class OpeningIntervalInput {
  @Field(() => Int) @IsInt() @Min(0) @Max(6) day: number;
  @Field() @IsString() @Matches(/^([01]\d|2[0-3]):[0-5]\d$/) open: string;
  @Field() @IsString() @Matches(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/) close: string;
}

@InputType()
export class HolidayInput {
  @Field() @Matches(/^\d{4}-\d{2}-\d{2}$/) date: string;
  @Field({ defaultValue: '' }) @IsString() @MaxLength(100) name: string;
}

@InputType()
export class BusinessHoursInput {
  @Field({ nullable: true }) @IsOptional() @IsString() @MinLength(1) @MaxLength(100) name?: string;
  @Field({ nullable: true, description: 'IANA timezone, e.g. Asia/Seoul.' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  timezone?: string;
  @Field(() => [OpeningIntervalInput], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => OpeningIntervalInput)
  weekly?: OpeningIntervalInput[];
  @Field(() => [HolidayInput], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => HolidayInput)
  holidays?: HolidayInput[];
}

@InputType()
export class ProactiveRuleInput {
  @Field({ nullable: true }) @IsOptional() @IsString() @MinLength(1) @MaxLength(100) name?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MinLength(1) @MaxLength(1000) message?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(500) urlPattern?: string | null;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(0) @Max(86400) minSecondsOnPage?: number | null;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(1) @Max(10000) minVisitCount?: number | null;
  @Field(() => RuleAudienceEnum, { nullable: true })
  @IsOptional()
  @IsEnum(RuleAudienceEnum)
  audience?: RuleAudienceEnum;
  @Field({ nullable: true }) @IsOptional() @IsBoolean() isActive?: boolean;
}

@InputType()
export class BlockVisitorInput {
  @Field(() => BlockKindEnum) @IsEnum(BlockKindEnum) kind: BlockKindEnum;
  @Field() @IsString() @MinLength(1) @MaxLength(320) value: string;
  @Field(() => ID, { nullable: true, description: 'Omit to block on every widget.' })
  @IsOptional()
  @IsUUID()
  widgetId?: string;
  @Field({ defaultValue: '' }) @IsString() @MaxLength(500) reason: string;
}
