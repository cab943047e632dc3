import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { RenderedPage } from '../dashboard/dashboard.page';
import { DASHBOARD_PAGE } from '../shared/tokens';

/**
 * The page loads without a token: it holds no data. It asks for an ops token and keeps it in
 * sessionStorage (gone with the tab), sending it as a bearer header to the API and the stream.
 */
@Controller()
export class DashboardHttpController {
  constructor(@Inject(DASHBOARD_PAGE) private readonly page: RenderedPage) {}

  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  dashboard(@Res({ passthrough: true }) res: Response): string {
    res.setHeader('Content-Security-Policy', this.page.contentSecurityPolicy);
    return this.page.html;
  }
}
