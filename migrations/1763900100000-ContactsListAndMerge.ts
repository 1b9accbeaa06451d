import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the contact list (newest first, merged contacts hidden), for linking contacts to
 * an organization by email domain, and for moving message authors when contacts are merged.
 */
export class ContactsListAndMerge1763900100000 implements MigrationInterface {
  name = 'ContactsListAndMerge1763900100000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE contact ADD CONSTRAINT contact_not_merged_into_self CHECK (merged_into_id <> id)`);
    await q.query(`CREATE INDEX contact_list_idx ON contact (updated_at DESC, id DESC) WHERE merged_into_id IS NULL`);
    await q.query(
      `CREATE INDEX contact_org_list_idx ON contact (organization_id, updated_at DESC, id DESC) WHERE merged_into_id IS NULL`,
    );
    await q.query(`CREATE INDEX contact_merged_into_idx ON contact (merged_into_id) WHERE merged_into_id IS NOT NULL`);
    await q.query(
      `CREATE INDEX contact_identity_email_domain_idx ON contact_identity (split_part(value, '@', 2)) WHERE kind = 'email'`,
    );
    await q.query(
      `CREATE INDEX message_author_contact_idx ON message (author_contact_id) WHERE author_contact_id IS NOT NULL`,
    );
    await q.query(`CREATE INDEX organization_name_idx ON organization (name, id)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const index of [
      'organization_name_idx',
      'message_author_contact_idx',
      'contact_identity_email_domain_idx',
      'contact_merged_into_idx',
      'contact_org_list_idx',
      'contact_list_idx',
    ]) {
      await q.query(`DROP INDEX IF EXISTS ${index}`);
    }
    await q.query(`ALTER TABLE contact DROP CONSTRAINT IF EXISTS contact_not_merged_into_self`);
  }
}
