import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ConnectionType, type Connection } from '../../common/graphql/pagination';

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

@ObjectType('ContactIdentity', { description: 'One way to reach or recognise a contact, unique across contacts.' })
export class ContactIdentityDto {
  @Field(() => ID) id: string;
  @Field(() => IdentityKindEnum) kind: IdentityKindEnum;
  @Field({ description: 'Normalised: emails lower-case, phone numbers in E.164 (+821012345678).' }) value: string;
  @Field() verified: boolean;
  @Field() createdAt: Date;
}

@ObjectType('Contact', { description: 'A customer; one person seen on several channels is one contact.' })
export class ContactDto {
  @Field(() => ID) id: string;
  @Field() name: string;
  @Field(() => ID, { nullable: true }) organizationId: string | null;
  @Field(() => String, { nullable: true }) locale: string | null;
  @Field(() => String, { nullable: true }) timezone: string | null;
  @Field() notes: string;
  @Field() createdAt: Date;
  @Field() updatedAt: Date;
}

export const ContactConnection = ConnectionType(ContactDto, 'Contact');
export type ContactConnection = Connection<ContactDto>;
