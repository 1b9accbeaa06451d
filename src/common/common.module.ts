import { Global, Module } from '@nestjs/common';
import { DatabaseHealthService } from './health/database-health.service';
import { HealthController } from './health/health.controller';
import { JobsService } from './jobs/jobs.service';
import { MailService } from './mail/mail.service';
import { MetricsService } from './metrics/metrics.service';
import { RealtimeBus } from './pubsub/realtime-bus';

/** Infrastructure every context may use: health, metrics, realtime bus, jobs, system mail. */
@Global()
@Module({
  controllers: [HealthController],
  providers: [MetricsService, DatabaseHealthService, RealtimeBus, JobsService, MailService],
  exports: [MetricsService, DatabaseHealthService, RealtimeBus, JobsService, MailService],
})
export class CommonModule {}
