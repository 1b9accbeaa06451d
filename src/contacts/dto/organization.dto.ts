import { ArgsType, Field, ID, InputType, ObjectType } from '@nestjs/graphql';
import { ArrayMaxSize, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { ConnectionType, PageArgs, type Connection } from '../../common/graphql/pagination';

@ObjectType('Organization', { description: 'A company or group of contacts, joined automatically by email domain.' })
export class OrganizationDto {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field(() => [String], { description: 'Email domains; contacts with an email there join this organization.' })
  domains: string[];
  @Field() notes: string;
  @Field() createdAt: Date;
  @Field() updatedAt: Date;
}

export const OrganizationConnection = ConnectionType(OrganizationDto, 'Organization');
export type OrganizationConnection = Connection<OrganizationDto>;

@ArgsType()
export class OrganizationsArgs extends PageArgs {
  @Field({ nullable: true, description: 'Part of the name or of a domain.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string;
}

@InputType()
export class CreateOrganizationInput {
  @Field() @IsString() @MinLength(1) @MaxLength(200) name: string;
  @Field(() => [String], { nullable: true, description: 'Email domains like example.com; each belongs to one org.' })
  @IsOptional()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(253, { each: true })
  domains?: string[];
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(10000) notes?: string;
}

@InputType({ description: 'Only the fields given change; domains replaces the whole list.' })
export class UpdateOrganizationInput {
  @Field(() => ID) @IsUUID() id: string;
  @Field({ nullable: true }) @IsOptional() @IsString() @MinLength(1) @MaxLength(200) name?: string;
  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(253, { each: true })
  domains?: string[];
  @Field({ nullable: true }) @IsOptional() @IsString() @MaxLength(10000) notes?: string;
}
