import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A Korean greeting beside the widget's (English or only) one; the widget shows the visitor's. */
export class WidgetGreetingKo1763905100000 implements MigrationInterface {
  name = 'WidgetGreetingKo1763905100000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE widget ADD COLUMN greeting_ko text NOT NULL DEFAULT ''`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE widget DROP COLUMN greeting_ko`);
  }
}
