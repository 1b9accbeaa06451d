import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsBoolean,
  IsEnum,
  IsInt,
  IsNumber,
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

export enum TicketFieldTypeEnum {
  text = 'text',
  number = 'number',
  date = 'date',
  dropdown = 'dropdown',
  checkbox = 'checkbox',
}
registerEnumType(TicketFieldTypeEnum, {
  name: 'TicketFieldType',
  description: 'text (maxLength, pattern), number (min, max), date (YYYY-MM-DD), dropdown (options), checkbox.',
});

@ObjectType('TicketFieldValidation')
export class TicketFieldValidationDto {
  @Field(() => Float, { nullable: true }) min?: number;
  @Field(() => Float, { nullable: true }) max?: number;
  @Field(() => Int, { nullable: true }) maxLength?: number;
  @Field({ nullable: true, description: 'A regular expression the whole value must match.' }) pattern?: string;
}

@InputType()
export class TicketFieldValidationInput {
  @Field(() => Float, { nullable: true }) @IsOptional() @IsNumber() min?: number;
  @Field(() => Float, { nullable: true }) @IsOptional() @IsNumber() max?: number;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(1) @Max(10000) maxLength?: number;
  @Field({
    nullable: true,
    description:
      'Whole-value regular expression, at most 200 characters; nested repetition, back-references and look-arounds are refused.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  pattern?: string;
}

@ObjectType('TicketField')
export class TicketFieldDto {
  @Field(() => ID) id: string;
  @Field({ description: 'Key used in Ticket.customFields.' }) key: string;
  @Field() label: string;
  @Field(() => String, { nullable: true, description: 'Korean label.' }) labelKo: string | null;
  @Field(() => TicketFieldTypeEnum) type: TicketFieldTypeEnum;
  @Field(() => [String], { description: 'Choices of a dropdown.' }) options: string[];
  @Field({ description: 'Must have a value before the ticket can be solved.' }) required: boolean;
  @Field(() => TicketFieldValidationDto) validation: TicketFieldValidationDto;
  @Field(() => Int) position: number;
  @Field() active: boolean;
  @Field() createdAt: Date;
  @Field() updatedAt: Date;
}

@InputType()
export class CreateTicketFieldInput {
  @Field({ description: 'a-z, 0-9 and _, starting with a letter; cannot change later.' })
  @IsString()
  @Matches(/^[a-z][a-z0-9_]{0,62}$/, { message: 'key must start with a-z and use only a-z, 0-9 and _' })
  key: string;
  @Field() @IsString() @MinLength(1) @MaxLength(200) label: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(200) labelKo?: string;
  @Field(() => TicketFieldTypeEnum, { description: 'Cannot change later.' })
  @IsEnum(TicketFieldTypeEnum)
  type: TicketFieldTypeEnum;
  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(500)
  @IsString({ each: true })
  options?: string[];
  @Field({ nullable: true }) @IsOptional() @IsBoolean() required?: boolean;
  @Field(() => TicketFieldValidationInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => TicketFieldValidationInput)
  validation?: TicketFieldValidationInput;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(0) @Max(100000) position?: number;
}

@InputType()
export class UpdateTicketFieldInput {
  @Field(() => ID) @IsUUID() id: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MinLength(1) @MaxLength(200) label?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(200) labelKo?: string | null;
  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(500)
  @IsString({ each: true })
  options?: string[];
  @Field({ nullable: true }) @IsOptional() @IsBoolean() required?: boolean;
  @Field(() => TicketFieldValidationInput, { nullable: true, description: 'Replaces all rules.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => TicketFieldValidationInput)
  validation?: TicketFieldValidationInput;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(0) @Max(100000) position?: number;
  @Field({ nullable: true, description: 'Reactivates (true) or deactivates (false) the field.' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

@ObjectType('TicketForm')
export class TicketFormDto {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field(() => [ID]) fieldIds: string[];
  @Field({ description: 'New tickets get the default form.' }) isDefault: boolean;
  @Field() active: boolean;
  @Field() createdAt: Date;
  @Field() updatedAt: Date;
}

@InputType()
export class CreateTicketFormInput {
  @Field() @IsString() @MinLength(1) @MaxLength(200) name: string;
  @Field(() => [ID], { description: 'Fields in display order.' })
  @ArrayMaxSize(200)
  @IsUUID('all', { each: true })
  fieldIds: string[];
  @Field({ nullable: true }) @IsOptional() @IsBoolean() isDefault?: boolean;
}

@InputType()
export class UpdateTicketFormInput {
  @Field(() => ID) @IsUUID() id: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MinLength(1) @MaxLength(200) name?: string;
  @Field(() => [ID], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(200)
  @IsUUID('all', { each: true })
  fieldIds?: string[];
  @Field({ nullable: true }) @IsOptional() @IsBoolean() isDefault?: boolean;
  @Field({ nullable: true }) @IsOptional() @IsBoolean() active?: boolean;
}
