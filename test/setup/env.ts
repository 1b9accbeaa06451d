import 'reflect-metadata';
import { configureLogger } from '../../src/common/logging/logger';

// Tests are quiet unless asked otherwise; every test app gets its own data dir and port 0.
process.env.LOG_LEVEL ??= 'silent';
process.env.NODE_ENV = 'test';
configureLogger(process.env.LOG_LEVEL);
