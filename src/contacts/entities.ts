import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type IdentityKind =
  'email' | 'phone' | 'external_id' | 'visitor' | 'whatsapp' | 'messenger' | 'instagram' | 'telegram' | 'line' | 'sms';

@Entity('organization')
export class Organization {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') name: string;
  @Column('text', { array: true, default: [] }) domains: string[];
  @Column('text', { default: '' }) notes: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}

@Entity('contact')
export class Contact {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text', { default: '' }) name: string;
  @Column('uuid', { nullable: true }) organizationId: string | null;
  @Column('text', { nullable: true }) locale: string | null;
  @Column('text', { nullable: true }) timezone: string | null;
  @Column('text', { default: '' }) notes: string;
  @Column('uuid', { nullable: true }) mergedIntoId: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}

@Entity('contact_identity')
export class ContactIdentity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid') contactId: string;
  @Column('text') kind: IdentityKind;
  /** Normalised: emails lower-cased, phones in E.164. */
  @Column('text') value: string;
  @Column('boolean', { default: false }) verified: boolean;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}

export const contactEntities = [Organization, Contact, ContactIdentity];
