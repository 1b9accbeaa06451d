import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum IdentityKindEnum {
  email = 'email',
  phone = 'phone',
  external_id = 'external_id',
  visitor = 'visitor',
  whatsapp = 'whatsapp',
  messenger = 'messenger',
  instagram = 'instagram',
  telegram = 'telegram',
  line = 'line',
  sms = 'sms',
}
registerEnumType(IdentityKindEnum, { name: 'IdentityKind' });

@ObjectType('ContactIdentity')
export class ContactIdentityDto {
  @Field(() => ID) id: string;
  @Field(() => IdentityKindEnum) kind: IdentityKindEnum;
  @Field() value: string;
  @Field() verified: boolean;
  @Field() createdAt: Date;
}

@ObjectType('Contact')
export class ContactDto {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field(() => String, { nullable: true }) organizationId: string | null;
  @Field(() => String, { nullable: true }) locale: string | null;
  @Field(() => String, { nullable: true }) timezone: string | null;
  @Field() notes: string;
  @Field() createdAt: Date;
  @Field() updatedAt: Date;
}
