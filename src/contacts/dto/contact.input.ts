import { ArgsType, Field, ID, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsEnum, IsOptional, IsString, IsUUID, MaxLength, ValidateNested } from 'class-validator';
import { PageArgs } from '../../common/graphql/pagination';
import { IdentityKindEnum } from './contact.dto';

@ArgsType()
export class ContactsArgs extends PageArgs {
  @Field({ nullable: true, description: 'Part of a name, email, phone number or other identity; Korean works.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string;

  @Field(() => ID, { nullable: true, description: 'Only contacts of this organization.' })
  @IsOptional()
  @IsUUID()
  organizationId?: string;
}

@InputType()
export class ContactIdentityInput {
  @Field(() => IdentityKindEnum) @IsEnum(IdentityKindEnum) kind: IdentityKindEnum;
  @Field() @IsString() @MaxLength(400) value: string;
}

@InputType({ description: 'A new contact needs at least one identity: email, phone, external id or others.' })
export class CreateContactInput {
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(200) name?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(400) email?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(64) phone?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(400) externalId?: string;
  @Field(() => ID, { nullable: true, description: 'Defaults to the organization owning the email domain.' })
  @IsOptional()
  @IsUUID()
  organizationId?: string;
  @Field({ nullable: true, description: 'BCP 47 tag like ko or en-US.' })
  @IsOptional()
  @IsString()
  @MaxLength(35)
  locale?: string;
  @Field({ nullable: true, description: 'IANA time zone like Asia/Seoul.' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  timezone?: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(10000) notes?: string;
  @Field(() => [ContactIdentityInput], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => ContactIdentityInput)
  identities?: ContactIdentityInput[];
}

@InputType({ description: 'Only the fields given change; pass null to clear organization, locale or timezone.' })
export class UpdateContactInput {
  @Field(() => ID) @IsUUID() id: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(200) name?: string;
  @Field(() => ID, { nullable: true }) @IsOptional() @IsUUID() organizationId?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(35) locale?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @IsString() @MaxLength(64) timezone?: string | null;
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(10000) notes?: string;
}
