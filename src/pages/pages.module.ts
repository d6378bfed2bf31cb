import { Module } from '@nestjs/common';
import { AppearancesModule } from '../appearances/appearances.module';
import { AttentionModule } from '../attention/attention.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { OutcomesModule } from '../outcomes/outcomes.module';
import { RiskModule } from '../risk/risk.module';
import { SsoModule } from '../sso/sso.module';
import { AccountPagesController } from './account-pages.controller';
import { AppearancePageService } from './appearance-page.service';
import { AppearancePagesController } from './appearance-pages.controller';
import { BoardPagesController } from './board-pages.controller';
import { HomeController } from './home.controller';
import { MailLinkPagesController } from './mail-link-pages.controller';
import { DebriefPages } from './debrief-pages';
import { PageLinkMinter } from './page-link-minter';
import { PageSession } from './page-session';
import { PageViews } from './page-views';
import { PagesHtmlFilter } from './pages-html.filter';
import { SsoPagesController } from './sso-pages.controller';

/**
 * Pages for the people in the mail: the appearance page, the debrief form, email preferences and
 * sign-in — server-rendered Handlebars views (src/pages/views), no script, readable on a phone.
 */
@Module({
  imports: [AppearancesModule, AttentionModule, NotificationsModule, OutcomesModule, RiskModule, SsoModule],
  controllers: [HomeController, AccountPagesController, AppearancePagesController, BoardPagesController, MailLinkPagesController, SsoPagesController],
  providers: [{ provide: PageViews, useFactory: () => new PageViews() }, PageSession, PageLinkMinter, AppearancePageService, DebriefPages, PagesHtmlFilter],
})
export class PagesModule {}
