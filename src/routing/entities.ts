import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** Workspace-wide routing settings: one row. */
@Entity('routing_setting')
export class RoutingSetting {
  @PrimaryColumn('boolean', { default: true }) id: boolean;
  @Column('integer', { default: 3 }) defaultChatCapacity: number;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}

export const routingEntities = [RoutingSetting];
