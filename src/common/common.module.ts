import { Global, Module } from '@nestjs/common';
import { DatabaseHealthService } from './health/database-health.service';
import { HealthController } from './health/health.controller';
import { JobsService } from './jobs/jobs.service';
import { MailService } from './mail/mail.service';
import { MetricsService } from './metrics/metrics.service';
import { RealtimeBus } from './pubsub/realtime-bus';
import { AgentConnectionRegistry } from './auth/connections';
import { VisitorAuthRegistry } from './auth/visitor';

const shared = [
  MetricsService,
  DatabaseHealthService,
  RealtimeBus,
  JobsService,
  MailService,
  VisitorAuthRegistry,
  AgentConnectionRegistry,
];

/** Infrastructure every context may use: health, metrics, realtime bus, jobs, system mail. */
@Global()
@Module({
  controllers: [HealthController],
  providers: shared,
  exports: shared,
})
export class CommonModule {}
