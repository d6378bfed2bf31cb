import { apiTokensConfig } from './api-tokens.config';
import { appConfig } from './app.config';
import { authConfig } from './auth.config';
import { calendarConfig } from './calendar.config';
import { databaseConfig } from './database.config';
import { mailConfig } from './mail.config';
import { outcomesConfig } from './outcomes.config';
import { privacyConfig } from './privacy.config';
import { riskConfig } from './risk.config';
import { webhooksConfig } from './webhooks.config';
import { ssoConfig } from './sso.config';

export * from './api-tokens.config';
export * from './app.config';
export * from './auth.config';
export * from './calendar.config';
export * from './database.config';
export * from './env';
export * from './mail.config';
export * from './outcomes.config';
export * from './privacy.config';
export * from './risk.config';
export * from './sso.config';
export * from './webhooks.config';

/** Every config namespace; feature modules add theirs here (mail, risk, retention, ...). */
export const allConfigs = [appConfig, databaseConfig, authConfig, calendarConfig, mailConfig, outcomesConfig, privacyConfig, riskConfig, webhooksConfig, ssoConfig, apiTokensConfig];
