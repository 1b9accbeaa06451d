import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A widget conversation keeps the visitor's answers to the custom pre-chat fields (labels as asked). */
export class WidgetPrechatAnswers1763908600000 implements MigrationInterface {
  name = 'WidgetPrechatAnswers1763908600000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE widget_conversation ADD COLUMN prechat_answers jsonb NOT NULL DEFAULT '[]'`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE widget_conversation DROP COLUMN prechat_answers`);
  }
}
